"""Life-cycle stages: the fixed vocabulary shared by models, results and reports."""

STAGES = (
    "launch propellant production",
    "launch combustion CO2",
    "launch non-CO2 at altitude",
    "launcher manufacture",
    "PV manufacture",
    "accelerator and host embodied",
    "bus and radiators",
    "operational electricity",
    "data-centre building",
    "re-entry",
    "ground segment",
    "background",
)

#: Stage of an activity that names none.
DEFAULT_STAGE = "background"
