from ._startup import main

raise SystemExit(main())
