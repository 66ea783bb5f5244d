"""A fresh caikit program: find the remote model by name only (finder discovery) and predict."""
import sys
import caikit
import caikit.runtime.client  # registers the REMOTE finder and initializer
from caikit.config import configure
from caikit.runtime.service_factory import ServicePackageFactory
protocol, port, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
configure(config_dict={
    "runtime": {"library": "kiln"},
    "model_management": {
        "finders": {"default": {"type": "REMOTE", "config": {
            "connection": {"hostname": "localhost", "port": port},
            "protocol": protocol, "discover_models": True, "min_poll_time": 0}}},
        "initializers": {"default": {"type": "REMOTE"}},
    },
})
import kiln
ServicePackageFactory.get_service_package(ServicePackageFactory.ServiceType.INFERENCE)
model = caikit.load(name)
print("caikit.load found", name, "->", type(model).__name__)
print("fresh program:", [(c.label, round(c.score, 3)) for c in model.run("claim your free prize now").results])
