package dev.kiln.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.kiln.server.testing.TestServer;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server reflection lists every service and serves the generated descriptors. */
class ReflectionTest {
    @TempDir
    Path tmp;

    private static List<ServerReflectionResponse> ask(GrpcClient c, ServerReflectionRequest request) throws Exception {
        CompletableFuture<List<ServerReflectionResponse>> done = new CompletableFuture<>();
        List<ServerReflectionResponse> answers = new ArrayList<>();
        StreamObserver<ServerReflectionRequest> out = ServerReflectionGrpc.newStub(c.channel())
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        answers.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(answers);
                    }
                });
        out.onNext(request);
        out.onCompleted();
        return done.get(30, TimeUnit.SECONDS);
    }

    @Test
    void reflectionListsEveryServiceAndServesTheGeneratedFiles() throws Exception {
        try (TestServer server = TestServer.start(tmp, "", Map.of());
                GrpcClient c = new GrpcClient(
                        TestServer.config(tmp, ""), server.server().grpcPort(), null)) {
            List<String> services = ask(
                            c,
                            ServerReflectionRequest.newBuilder()
                                    .setListServices("*")
                                    .build())
                    .get(0)
                    .getListServicesResponse()
                    .getServiceList()
                    .stream()
                    .map(ServiceResponse::getName)
                    .toList();
            assertThat(services)
                    .containsExactlyInAnyOrder(
                            "caikit.runtime.Kiln.KilnTrainingService",
                            "caikit.runtime.Kiln.KilnService",
                            "caikit.runtime.Kiln.KilnJobService",
                            "caikit.runtime.training.TrainingManagement",
                            "caikit.runtime.info.InfoService",
                            "caikit.runtime.models.ModelManagement",
                            "kiln.runtime.TrainingWatch",
                            "grpc.health.v1.Health",
                            "grpc.reflection.v1.ServerReflection",
                            "grpc.reflection.v1alpha.ServerReflection");

            List<FileDescriptorProto> files = new ArrayList<>();
            for (var bytes : ask(
                            c,
                            ServerReflectionRequest.newBuilder()
                                    .setFileContainingSymbol("caikit.runtime.Kiln.SampleTaskSampleModuleTrainRequest")
                                    .build())
                    .get(0)
                    .getFileDescriptorResponse()
                    .getFileDescriptorProtoList()) {
                files.add(parse(bytes));
            }
            FileDescriptorProto kiln = files.stream()
                    .filter(f -> f.getName().equals("caikit.runtime.Kiln.proto"))
                    .findFirst()
                    .orElseThrow();
            assertThat(kiln.getMessageTypeList())
                    .extracting(m -> m.getName())
                    .contains("SampleTaskSampleModuleTrainRequest", "SampleTaskSampleModuleTrainParameters");
            assertThat(files)
                    .extracting(FileDescriptorProto::getName)
                    .contains("caikit_data_model.runtime.proto", "caikit_data_model.common.proto");
        }
    }

    private static FileDescriptorProto parse(com.google.protobuf.ByteString bytes)
            throws InvalidProtocolBufferException {
        return FileDescriptorProto.parseFrom(bytes);
    }
}
