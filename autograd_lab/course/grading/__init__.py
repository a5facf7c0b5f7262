"""The grader's machinery: the parent's workers, the untrusted kernel, the sandbox, and the channels between them.

- ``notebook``: submissions and the release as plain JSON, and the plan of what to run;
- ``worker``: the trusted process that grades one notebook at a time and runs the checks;
- ``kernel``: the untrusted process that runs the student's code and answers with plain data;
- ``sandbox``: bubblewrap around each kernel;
- ``channel``: framed pipes (worker <-> kernel) and signed lines (parent <-> worker);
- ``delegation``: reading the student's code for library code handed in as their own;
- ``gradescope``: the same grading as a Gradescope autograder.
"""
