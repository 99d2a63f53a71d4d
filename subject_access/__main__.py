from subject_access.access import main

raise SystemExit(main())
