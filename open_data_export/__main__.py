from open_data_export.export import main

raise SystemExit(main())
