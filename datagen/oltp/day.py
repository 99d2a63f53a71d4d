def apply_day(*a): raise NotImplementedError
