"""The calendar of the generated history: fiscal years, demand profile, snapshot dates,
and the text formats of dates, timestamps and money."""

import calendar
import math
import random
from datetime import date, datetime, timedelta

# The company's fiscal year starts in September and is named after the calendar year
# in which it ends: 2024-09-01 .. 2025-08-31 is FY2025 (dbt var fiscal_year_start_month).
FISCAL_YEAR_START_MONTH = 9

# Relative demand by calendar month: a Q4 peak (Black Friday, year-end budgets,
# Christmas) and a summer dip.
MONTH_FACTOR = {1: 0.85, 2: 0.85, 3: 0.95, 4: 0.95, 5: 0.95, 6: 0.85,
                7: 0.72, 8: 0.68, 9: 1.05, 10: 1.10, 11: 1.35, 12: 1.40}
WEEKDAY_FACTOR = (1.0, 1.05, 1.0, 1.0, 0.95, 0.7, 0.45)  # Monday .. Sunday
ANNUAL_GROWTH = 0.17


def fiscal_year(day: date) -> int:
    return day.year + (1 if day.month >= FISCAL_YEAR_START_MONTH else 0)


def fiscal_years(start: date, end: date) -> list[int]:
    return list(range(fiscal_year(start), fiscal_year(end) + 1))


def days_between(start: date, end: date) -> list[date]:
    """Every day from start to end, both included."""
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]


def demand_weights(days: list[date], rng: random.Random) -> list[float]:
    """Relative sales volume of each day: seasonality, weekday pattern, compound
    year-over-year growth, a few special days and some day-to-day noise."""
    weights = []
    for offset, day in enumerate(days):
        weight = MONTH_FACTOR[day.month] * WEEKDAY_FACTOR[day.weekday()]
        weight *= (1 + ANNUAL_GROWTH) ** (offset / 365.25)
        if day.month == 11 and day.weekday() == 4 and day.day >= 23:
            weight *= 2.2  # Black Friday
        elif (day.month, day.day) in ((12, 24), (12, 25), (12, 26), (1, 1)):
            weight *= 0.25
        weights.append(weight * rng.uniform(0.85, 1.15))
    return weights


def snapshot_dates(start: date, end: date, frequency: str) -> list[date]:
    """End-of-period snapshot dates within [start, end]: month ends, week ends
    (Sundays) or every day."""
    if frequency == "daily":
        return days_between(start, end)
    if frequency == "weekly":
        first_sunday = start + timedelta(days=(6 - start.weekday()) % 7)
        return [first_sunday + timedelta(weeks=week)
                for week in range((end - first_sunday).days // 7 + 1)]
    if frequency == "monthly":
        dates = []
        year, month = start.year, start.month
        while True:
            month_end = date(year, month, calendar.monthrange(year, month)[1])
            if month_end > end:
                return dates
            dates.append(month_end)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    raise ValueError(f"unknown frequency {frequency!r}")


def timestamp(day: date, seconds_into_day: int) -> str:
    """'YYYY-MM-DD HH:MM:SS' of a moment on `day`."""
    hours, rest = divmod(seconds_into_day, 3600)
    return f"{day.isoformat()} {hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def random_timestamp(rng: random.Random, first: date, last: date,
                     hours: tuple[int, int] = (7, 19)) -> str:
    """A timestamp on a random day in [first, last] during the given office hours."""
    day = first + timedelta(days=rng.randint(0, (last - first).days))
    return timestamp(day, rng.randint(hours[0] * 3600, hours[1] * 3600 - 1))


def parse_timestamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


def format_timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def money(cents: int) -> str:
    """Cents as a decimal with '.' and two places, no thousands separator."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson-distributed count (normal approximation for large means)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, int(rng.gauss(mean, math.sqrt(mean)) + 0.5))
    threshold, count, product = math.exp(-mean), 0, rng.random()
    while product > threshold:
        count += 1
        product *= rng.random()
    return count
