"""Staff-side casework: what departments, dispatchers and supervisors do to a case.

``services`` holds the department's actions, ``triage`` the dispatcher's,
``returns`` the return (退单) flow, ``extensions`` deadline extensions and
``email_links`` the offices that work by email. Every status change goes
through ``feedback.workflow.case_transition``.
"""
