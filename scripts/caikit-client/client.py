"""caikit's own remote client, unchanged, against a Kiln server: train, wait, discover, predict."""
import os, sys, time, random
import caikit
from caikit.config import configure
from caikit.runtime.service_factory import ServicePackageFactory
from caikit.interfaces.common.data_model.remote import ConnectionInfo
from caikit.runtime.client import RemoteModelInitializer, RemoteModuleConfig
from caikit.runtime.names import MODEL_MESH_MODEL_ID_KEY
from aconfig import Config

protocol, port = sys.argv[1], int(sys.argv[2])
mgmt_port = int(sys.argv[3])
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
from kiln import TextRecord, TextClassifier
# Service generation in-process, as a caikit runtime would, so request classes exist.
ServicePackageFactory.get_service_package(ServicePackageFactory.ServiceType.INFERENCE)
ServicePackageFactory.get_service_package(ServicePackageFactory.ServiceType.TRAINING)

rng = random.Random(1)
spam = ["win cash now", "free prize claim", "cheap pills offer", "claim your free money", "win a free cruise now"]
ham = ["meeting at noon", "lunch tomorrow with team", "project notes attached", "see you at the meeting", "notes from lunch"]
records = [TextRecord(text=rng.choice(spam) + " " + str(i % 3), label="spam") for i in range(60)]
records += [TextRecord(text=rng.choice(ham) + " " + str(i % 3), label="ham") for i in range(60)]

conn = ConnectionInfo(hostname="localhost", port=port)
cfg = RemoteModuleConfig.load_from_module(TextClassifier, conn, protocol, MODEL_MESH_MODEL_ID_KEY, "unused")
remote = RemoteModelInitializer(Config({}), "x").init(cfg)
stream_type = caikit.interfaces.common.data_model.DataStreamSourceTextRecord
training_data = stream_type(data_stream=stream_type.JsonData(data=records))
name = f"caikit-{protocol}-{int(time.time())}"
trained = remote.train(
    training_data=training_data, epochs=3, _model_name=name)
print("train answered; model name:", trained._model_name)

# Follow the training through Kiln's management route until it completes.
import requests
for _ in range(300):
    r = requests.get(f"http://localhost:{mgmt_port}/management/trainings")
    items = r.json()
    items = items.get("trainings", items) if isinstance(items, dict) else items
    st = [t for t in items if t.get("model_name") == name]
    state = st[0].get("state") if st else None
    if state in ("COMPLETED", "ERRORED", "CANCELED"):
        break
    time.sleep(0.2)
print("training state:", state)

# Load the model the way a caikit program does: by name through the finder + initializer.
model = trained
print("loaded:", type(model).__name__)
for text in ["claim your free prize now", "notes from the team meeting"]:
    res = model.run(text)
    print(text, "->", [(c.label, round(c.score, 3)) for c in res.results])

import subprocess
print(subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "load.py"), protocol, str(port), name], capture_output=True, text=True).stdout)
