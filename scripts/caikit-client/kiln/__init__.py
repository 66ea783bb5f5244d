"""A caikit module library declaring the same module as Kiln's TextClassifier (id, task, signatures)."""
from caikit.core import ModuleBase, module, DataObjectBase, dataobject
from caikit.core.data_model import DataStream
from caikit.interfaces.nlp.tasks import TextClassificationTask
from caikit.interfaces.nlp.data_model import ClassificationResults


@dataobject(package="caikit_data_model.kiln")
class TextRecord(DataObjectBase):
    text: str
    label: str


@module(
    id="5178884d-2941-47e8-93dc-6c0de63c7468",
    name="TextClassifier",
    version="1.0.0",
    task=TextClassificationTask,
)
class TextClassifier(ModuleBase):
    @classmethod
    def train(
        cls,
        training_data: DataStream[TextRecord],
        epochs: int = 5,
        learning_rate: float = 0.5,
        ngram_max: int = 2,
        min_count: int = 2,
        seed: int = 42,
        validation_split: float = 0.2,
        checkpoint_every: int = 1,
    ) -> "TextClassifier":
        raise NotImplementedError("trained remotely")

    @TextClassificationTask.taskmethod()
    def run(self, text: str) -> ClassificationResults:
        raise NotImplementedError("runs remotely")
