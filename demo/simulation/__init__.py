"""Play the planned history through the portal's own services, on a simulated clock.

``clock`` holds the event loop and the citizen's steps, ``office`` the departments' and dispatchers'.
"""

from demo.simulation.clock import Simulation  # noqa: F401
