package dev.kiln.server.grpc;

import static dev.kiln.server.grpc.GrpcClient.get;
import static dev.kiln.server.grpc.GrpcClient.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.kiln.config.KilnConfig;
import dev.kiln.config.KilnYaml;
import dev.kiln.manager.ModelManager;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.server.KilnServer;
import dev.kiln.server.testing.KeywordClassifier;
import dev.kiln.server.testing.TestServer;
import dev.kiln.testing.SampleModule;
import dev.kiln.trainer.TrainerFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Java enum parameter travels as the protobuf enum py-to-proto makes of a Python {@code Enum}. */
class GrpcEnumParameterTest {
    static final ModuleRegistry MODULES = new ModuleRegistry(List.of(new SampleModule(), new KeywordClassifier()));
    static final String PKG = "caikit.runtime.Kiln";
    static final String RPC = "TextClassificationTaskKeywordClassifierTrain";

    @TempDir
    Path tmp;

    private TestServer start() {
        KilnConfig config = TestServer.config(tmp, "");
        return TestServer.start(KilnServer.builder(config)
                .port(0)
                .manager(ModelManager.fromConfig(config, TrainerFactory.discover(), MODULES)));
    }

    /** A KeywordClassifier request with two examples and the given tokens value, or none when null. */
    private static DynamicMessage request(GrpcClient c, String modelName, String tokens) {
        DynamicMessage.Builder data = c.message(PKG + ".DataStreamSourceExampleJsonData");
        FieldDescriptor dataField = data.getDescriptorForType().findFieldByName("data");
        data.addRepeatedField(
                dataField,
                set(set(c.message(PKG + ".Example"), "text", "good-day"), "label", "pos")
                        .build());
        data.addRepeatedField(
                dataField,
                set(set(c.message(PKG + ".Example"), "text", "bad day"), "label", "neg")
                        .build());
        DynamicMessage.Builder p = c.message(PKG + "." + RPC + "Parameters");
        set(
                p,
                "training_data",
                set(c.message(PKG + ".DataStreamSourceExample"), "jsondata", data.build())
                        .build());
        if (tokens != null) {
            EnumDescriptor type =
                    p.getDescriptorForType().findFieldByName("tokens").getEnumType();
            set(p, "tokens", type.findValueByName(tokens));
        }
        return set(set(c.message(PKG + "." + RPC + "Request"), "model_name", modelName), "parameters", p.build())
                .build();
    }

    @Test
    void theEnumIsNestedInTheParametersAndNumberedAsPyToProtoNumbersIt() {
        KilnSchema schema = KilnSchema.build(new ServiceNames("Kiln", PKG), MODULES);
        Descriptor params = schema.message(PKG + "." + RPC + "Parameters");
        FieldDescriptor tokens = params.findFieldByName("tokens");
        assertThat(tokens.getType()).isEqualTo(FieldDescriptor.Type.ENUM);
        assertThat(tokens.getNumber()).isEqualTo(4);
        assertThat(tokens.toProto().getProto3Optional())
                .as("a defaulted parameter is optional")
                .isTrue();
        assertThat(tokens.getEnumType().getFullName()).isEqualTo(PKG + "." + RPC + "Parameters.Tokens");
        assertThat(params.getEnumTypes()).containsExactly(tokens.getEnumType());
        assertThat(tokens.getEnumType().getValues())
                .extracting(v -> v.getName() + "=" + v.getNumber())
                .containsExactly("PLACEHOLDER_UNSET=0", "WORDS=1", "WHITESPACE=2");
        assertThat(ProtoFiles.render(params.getFile()))
                .contains("message " + RPC + "Parameters {\n  enum Tokens {\n    PLACEHOLDER_UNSET = 0;\n"
                        + "    WORDS = 1;\n    WHITESPACE = 2;\n  }\n")
                .contains("  optional ." + PKG + "." + RPC + "Parameters.Tokens tokens = 4;");
    }

    @Test
    void theWrittenProtoFilesCompileWithProtoc() throws Exception {
        KilnSchema schema = KilnSchema.build(new ServiceNames("Kiln", PKG), MODULES);
        Path protos = tmp.resolve("protos");
        List<String> command = new ArrayList<>(
                List.of("/usr/bin/protoc", "-I", protos.toString(), "--descriptor_set_out=" + tmp.resolve("set.pb")));
        ProtoFiles.write(schema, protos).stream()
                .map(f -> protos.relativize(f).toString())
                .sorted()
                .forEach(command::add);
        Process protoc = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(protoc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(protoc.waitFor()).as("protoc: " + output).isZero();
        FileDescriptorSet compiled = FileDescriptorSet.parseFrom(Files.readAllBytes(tmp.resolve("set.pb")));
        assertThat(compiled.getFileList())
                .flatExtracting(f -> f.getMessageTypeList())
                .filteredOn(m -> m.getName().equals(RPC + "Parameters"))
                .singleElement()
                .satisfies(m -> assertThat(m.getEnumTypeList())
                        .singleElement()
                        .satisfies(e -> assertThat(e.getValueList())
                                .extracting(v -> v.getName() + "=" + v.getNumber())
                                .containsExactly("PLACEHOLDER_UNSET=0", "WORDS=1", "WHITESPACE=2")));
    }

    @Test
    void aTrainingGetsTheConstantTheEnumValueNamesAndTheDefaultWhenUnset() throws Exception {
        try (TestServer server = start();
                GrpcClient c = new GrpcClient(
                        KilnSchema.build(new ServiceNames("Kiln", PKG), MODULES),
                        server.server().grpcPort(),
                        null)) {
            String set = (String) get(c.call(GrpcApiTest.TRAINING, RPC, request(c, "ws", "WHITESPACE")), "training_id");
            String unset = (String) get(c.call(GrpcApiTest.TRAINING, RPC, request(c, "dflt", null)), "training_id");
            String placeholder = (String)
                    get(c.call(GrpcApiTest.TRAINING, RPC, request(c, "ph", "PLACEHOLDER_UNSET")), "training_id");
            for (String id : List.of(set, unset, placeholder)) {
                GrpcApiTest.awaitState(c, id, "COMPLETED");
            }
            assertThat(savedTokens(server, set)).isEqualTo("WHITESPACE");
            assertThat(savedTokens(server, unset)).isEqualTo("WORDS");
            assertThat(savedTokens(server, placeholder))
                    .as("PLACEHOLDER_UNSET is unset, so the default applies")
                    .isEqualTo("WORDS");
        }
    }

    /** The tokens the trained model saved in its {@code config.yml}: the constant the module was given. */
    private static String savedTokens(TestServer server, String trainingId) throws Exception {
        JsonNode detail =
                server.http().get("/management/trainings/" + trainingId).json();
        Path config = Path.of(detail.get("save_path").asText()).resolve("config.yml");
        return KilnYaml.mapper().readTree(config.toFile()).get("tokens").asText();
    }
}
