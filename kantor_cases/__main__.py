"""`python -m kantor_cases`: the same as the `kantor-cases` command."""

import sys

from kantor_cases.app import main

sys.exit(main())
