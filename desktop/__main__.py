import sys

from desktop.app import main

if __name__ == "__main__":     # the assessment's child process (spawn) imports this module too
    sys.exit(main())
