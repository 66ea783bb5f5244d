"""A gRPC client of Kiln that shares no code with it: Python's grpcio and the classes protoc generated from the
.proto files `kiln protos` wrote. It trains a text classifier, follows it to the end, predicts with it and prints
what it saw as one JSON object.

Usage: caikit_client.py PORT GENERATED_DIR
"""
import importlib
import json
import os
import sys
import time

import grpc

port, generated = sys.argv[1], sys.argv[2]
sys.path.insert(0, generated)
modules = []
for root, _, files in os.walk(generated):
    for f in files:
        if f.endswith("_pb2.py"):
            rel = os.path.relpath(os.path.join(root, f[:-3]), generated)
            modules.append(importlib.import_module(rel.replace(os.sep, ".")))


def message(full_name):
    package, name = full_name.rsplit(".", 1)
    for m in modules:
        if m.DESCRIPTOR.package == package and hasattr(m, name):
            return getattr(m, name)
    raise KeyError(full_name)


def unary(channel, path, request_type, response_type):
    return channel.unary_unary(
        path,
        request_serializer=message(request_type).SerializeToString,
        response_deserializer=message(response_type).FromString,
    )


channel = grpc.insecure_channel("127.0.0.1:" + port)
grpc.channel_ready_future(channel).result(timeout=30)
pkg = "caikit.runtime.Kiln"
rpc = "TextClassificationTaskTextClassifierTrain"
train = unary(channel, f"/{pkg}.KilnTrainingService/{rpc}", f"{pkg}.{rpc}Request", "caikit_data_model.runtime.TrainingJob")
status = unary(
    channel,
    "/caikit.runtime.training.TrainingManagement/GetTrainingStatus",
    "caikit_data_model.runtime.TrainingInfoRequest",
    "caikit_data_model.runtime.TrainingStatusResponse",
)
predict = unary(
    channel,
    f"/{pkg}.KilnService/TextClassificationTaskPredict",
    f"{pkg}.TextClassificationTaskRequest",
    "caikit_data_model.nlp.ClassificationResults",
)
info = unary(
    channel,
    "/caikit.runtime.info.InfoService/GetRuntimeInfo",
    "caikit_data_model.runtime.RuntimeInfoRequest",
    "caikit_data_model.runtime.RuntimeInfoResponse",
)

spam = ["win a free cruise now", "free money click now", "claim your free prize now", "cheap pills free offer now"]
ham = ["lunch at noon tomorrow", "the meeting moved to friday", "see you at the meeting", "notes from lunch today"]
Record = message(f"{pkg}.TextRecord")
JsonData = message(f"{pkg}.DataStreamSourceTextRecordJsonData")
records = [Record(text=t, label="spam") for t in spam] * 3 + [Record(text=t, label="ham") for t in ham] * 3
Params = message(f"{pkg}.{rpc}Parameters")
Source = message(f"{pkg}.DataStreamSourceTextRecord")
request = message(f"{pkg}.{rpc}Request")(
    model_name="py-spam",
    parameters=Params(training_data=Source(jsondata=JsonData(data=records)), epochs=10, min_count=1, ngram_max=1),
)
job = train(request, metadata=[("mm-model-id", "ignored-on-train")], timeout=60)

InfoRequest = message("caikit_data_model.runtime.TrainingInfoRequest")
deadline = time.time() + 120
while time.time() < deadline:
    answer = status(InfoRequest(training_id=job.training_id), timeout=30)
    if answer.state in (3, 4, 5):
        break
    time.sleep(0.2)
state_name = message("caikit_data_model.runtime.TrainingStatusResponse").DESCRIPTOR.fields_by_name[
    "state"
].enum_type.values_by_number[answer.state].name

results = predict(
    message(f"{pkg}.TextClassificationTaskRequest")(text="free prize cruise now"),
    metadata=[("mm-model-id", "py-spam")],
    timeout=60,
)

try:
    status(InfoRequest(training_id="no-such-training"), timeout=30)
    missing = "OK"
except grpc.RpcError as e:
    missing = e.code().name

runtime = info(message("caikit_data_model.runtime.RuntimeInfoRequest")(), timeout=30)
print(
    json.dumps(
        {
            "training_id": job.training_id,
            "model_name": job.model_name,
            "state": state_name,
            "has_completion": answer.HasField("completion_timestamp"),
            "results": [{"label": r.label, "score": r.score} for r in results.results],
            "missing": missing,
            "runtime_version": runtime.runtime_version,
            "packages": dict(runtime.python_packages),
        }
    )
)
