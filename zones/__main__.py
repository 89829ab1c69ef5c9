from zones.cli import main

raise SystemExit(main())
