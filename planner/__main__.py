"""`python -m planner` runs `plan-routes`: for a machine where the scripts folder of the
Python installation is not on PATH (a Windows install without it ticked), or to pick one
Python explicitly."""
from .cli import main

if __name__ == "__main__":  # not in a process a batch's workers spawn (`__mp_main__`)
    main(prog_name="plan-routes")
