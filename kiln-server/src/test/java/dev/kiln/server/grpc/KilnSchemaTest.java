package dev.kiln.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import dev.kiln.config.KilnConfig;
import dev.kiln.config.KilnYaml;
import dev.kiln.data.DataStream;
import dev.kiln.error.KilnException;
import dev.kiln.module.ModuleInfo;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.module.ModuleType;
import dev.kiln.module.Param;
import dev.kiln.module.TrainingContext;
import dev.kiln.testing.SampleModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The descriptors follow caikit's names, numbers and py-to-proto's type rules. */
class KilnSchemaTest {
    static final KilnSchema SCHEMA =
            KilnSchema.build(new ServiceNames("Kiln", "caikit.runtime.Kiln"), ModuleRegistry.global());

    private static String fields(Descriptor d) {
        return d.getFields().stream()
                .map(f -> (f.isRepeated() ? "repeated " : f.toProto().getProto3Optional() ? "optional " : "")
                        + (f.getType() == FieldDescriptor.Type.MESSAGE
                                ? f.getMessageType().getFullName()
                                : f.getType() == FieldDescriptor.Type.ENUM
                                        ? f.getEnumType().getFullName()
                                        : f.getType().name().toLowerCase())
                        + " " + f.getName() + "=" + f.getNumber())
                .collect(Collectors.joining(", "));
    }

    @Test
    void caikitsFixedMessagesKeepTheirNumbers() {
        assertThat(fields(SCHEMA.message("caikit_data_model.runtime.TrainingJob")))
                .isEqualTo("string training_id=1, string model_name=2");
        assertThat(fields(SCHEMA.message("caikit_data_model.runtime.TrainingStatusResponse")))
                .isEqualTo("string training_id=1, caikit_data_model.common.JobStatus state=2,"
                        + " google.protobuf.Timestamp submission_timestamp=3,"
                        + " google.protobuf.Timestamp completion_timestamp=4, repeated string reasons=5");
        assertThat(SCHEMA.message("caikit_data_model.runtime.TrainingStatusResponse")
                        .findFieldByName("state")
                        .getEnumType()
                        .getValues())
                .extracting(v -> v.getName() + "=" + v.getNumber())
                .containsExactly(
                        "PLACEHOLDER_UNSET=0", "QUEUED=1", "RUNNING=2", "COMPLETED=3", "CANCELED=4", "ERRORED=5");
        assertThat(fields(SCHEMA.message("caikit_data_model.runtime.ModelInfo")))
                .isEqualTo("string model_path=1, string name=2, int64 size=3, google.protobuf.Struct metadata=4,"
                        + " string module_id=5,"
                        + " repeated caikit_data_model.runtime.ModelInfo.ModuleMetadataEntry module_metadata=6,"
                        + " bool loaded=7");
        assertThat(fields(SCHEMA.message("caikit_data_model.nlp.ClassificationResult")))
                .isEqualTo("string label=1, double score=2");
    }

    @Test
    void aModulesTrainingMessagesFollowItsParameters() {
        Descriptor request = SCHEMA.message("caikit.runtime.Kiln.SampleTaskSampleModuleTrainRequest");
        assertThat(fields(request))
                .isEqualTo("string model_name=1, caikit_data_model.common.S3Path output_path=2,"
                        + " caikit.runtime.Kiln.SampleTaskSampleModuleTrainParameters parameters=3");
        Descriptor params = SCHEMA.message("caikit.runtime.Kiln.SampleTaskSampleModuleTrainParameters");
        assertThat(params.findFieldByName("training_data").getNumber()).isEqualTo(1);
        assertThat(params.findFieldByName("batch_size").toProto().getProto3Optional())
                .as("a defaulted parameter is optional")
                .isTrue();
        assertThat(params.findFieldByName("batch_size").getType()).isEqualTo(FieldDescriptor.Type.INT64);
        assertThat(params.findFieldByName("sleep_time").getType()).isEqualTo(FieldDescriptor.Type.DOUBLE);
        assertThat(params.findFieldByName("ignore_cancel").getType()).isEqualTo(FieldDescriptor.Type.BOOL);
        assertThat(params.findFieldByName("base_model").getMessageType().getFullName())
                .isEqualTo("caikit_data_model.runtime.ModelPointer");
        assertThat(params.getFields()).extracting(FieldDescriptor::getNumber).doesNotHaveDuplicates();

        Descriptor source = SCHEMA.message("caikit.runtime.Kiln.DataStreamSourceSampleRecord");
        assertThat(source.getRealOneofs())
                .singleElement()
                .satisfies(o -> assertThat(o.getName()).isEqualTo("data_stream"));
        assertThat(fields(source))
                .isEqualTo("caikit.runtime.Kiln.DataStreamSourceSampleRecordJsonData jsondata=1,"
                        + " caikit_data_model.common.FileReference file=2,"
                        + " caikit_data_model.common.ListOfFileReferences list_of_files=3,"
                        + " caikit_data_model.common.Directory directory=4,"
                        + " caikit_data_model.common.S3Files s3files=5");
        assertThat(fields(SCHEMA.message("caikit.runtime.Kiln.SampleRecord")))
                .isEqualTo("int64 number=1, string label=2");
    }

    @Test
    void servicesAndRpcsAreNamedAsCaikitNamesThem() {
        assertThat(SCHEMA.trainingService().getFullName()).isEqualTo("caikit.runtime.Kiln.KilnTrainingService");
        MethodDescriptor train = SCHEMA.trainingService().findMethodByName("SampleTaskSampleModuleTrain");
        assertThat(train.getOutputType().getFullName()).isEqualTo("caikit_data_model.runtime.TrainingJob");
        assertThat(SCHEMA.predictService().getFullName()).isEqualTo("caikit.runtime.Kiln.KilnService");
        assertThat(SCHEMA.predictService().findMethodByName("SampleTaskPredict"))
                .isNotNull();
        assertThat(SCHEMA.service("caikit.runtime.training.TrainingManagement").getMethods())
                .extracting(MethodDescriptor::getName)
                .containsExactly("GetTrainingStatus", "CancelTraining");
        assertThat(SCHEMA.service("caikit.runtime.info.InfoService").getMethods())
                .extracting(MethodDescriptor::getName)
                .containsExactly("GetRuntimeInfo", "GetModelsInfo");
        assertThat(SCHEMA.service("caikit.runtime.models.ModelManagement").getMethods())
                .extracting(m -> m.getName() + ":" + m.getOutputType().getName())
                .containsExactly("DeployModel:ModelInfo", "UndeployModel:UndeployModelRequest");
        assertThat(SCHEMA.service(KilnSchema.TRAINING_WATCH)
                        .findMethodByName("WatchTraining")
                        .isServerStreaming())
                .isTrue();
    }

    @Test
    void theDomainAndPackageComeFromCaikitsKeys(@TempDir Path tmp) throws IOException {
        assertThat(ServiceNames.from(config("runtime: {library: caikit_nlp}")))
                .isEqualTo(new ServiceNames("Nlp", "caikit.runtime.Nlp"));
        assertThat(ServiceNames.from(config("runtime: {library: my_lib}")).domain())
                .isEqualTo("MyLib");
        assertThat(ServiceNames.from(config("runtime: {service_generation: {domain: Acme}}")))
                .isEqualTo(new ServiceNames("Acme", "caikit.runtime.Acme"));
        assertThat(ServiceNames.from(config("runtime: {service_generation: {package: x.y}}")))
                .isEqualTo(new ServiceNames("Kiln", "x.y"));
        assertThat(ServiceNames.from(KilnConfig.load(List.of(), Map.of())))
                .isEqualTo(new ServiceNames("Kiln", "caikit.runtime.Kiln"));
    }

    private static KilnConfig config(String yaml) throws IOException {
        return KilnConfig.of((com.fasterxml.jackson.databind.node.ObjectNode)
                KilnYaml.mapper().readTree(yaml));
    }

    @Test
    void renderedProtoFilesNameEveryMessageAndService() {
        for (FileDescriptor f : SCHEMA.files()) {
            String text = ProtoFiles.render(f);
            assertThat(text).contains("package " + f.getPackage() + ";");
            f.getMessageTypes().forEach(m -> assertThat(text).contains("message " + m.getName() + " {"));
            f.getServices().forEach(s -> assertThat(text).contains("service " + s.getName() + " {"));
        }
        String kiln = ProtoFiles.render(SCHEMA.trainingService().getFile());
        assertThat(kiln)
                .contains("  optional int64 batch_size = 2;")
                .contains(
                        "  oneof data_stream {\n    .caikit.runtime.Kiln.DataStreamSourceSampleRecordJsonData jsondata = 1;")
                .contains("rpc SampleTaskSampleModuleTrain(.caikit.runtime.Kiln.SampleTaskSampleModuleTrainRequest)"
                        + " returns (.caikit_data_model.runtime.TrainingJob);");
    }

    /** Parameters with a type protobuf cannot hold. */
    public record OddParams(@Param(required = true) DataStream<String> lines, List<List<String>> nested) {}

    @ModuleInfo(id = "6a1e2c4e-0000-4000-8000-000000000001", name = "Odd", version = "1", task = "OddTask")
    static final class OddModule implements ModuleType<OddParams, SampleModel> {
        @Override
        public Class<OddParams> parametersType() {
            return OddParams.class;
        }

        @Override
        public SampleModel train(OddParams p, TrainingContext context) {
            return new SampleModel(1, 0);
        }

        @Override
        public SampleModel load(dev.kiln.module.ModelDirectory directory) {
            return new SampleModel(1, 0);
        }
    }

    @Test
    void aParameterWithNoProtobufFormIsRefusedNamingIt() {
        assertThatThrownBy(() -> KilnSchema.build(
                        new ServiceNames("Kiln", "caikit.runtime.Kiln"), new ModuleRegistry(List.of(new OddModule()))))
                .isInstanceOf(KilnException.class)
                .hasMessageContaining("nested");
    }
}
