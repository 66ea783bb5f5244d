package dev.kiln.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.json.KilnJson;
import dev.kiln.testing.SampleRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataStreamTest {
    @TempDir
    Path tmp;

    private Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void inMemoryStreamsAreReIterableAndMapAndFilter() {
        DataStream<Integer> numbers = DataStream.of(1, 2, 3, 4);
        assertThat(numbers.toList()).containsExactly(1, 2, 3, 4);
        assertThat(numbers.toList()).containsExactly(1, 2, 3, 4);
        DataStream<Integer> evensTimesTen = numbers.filter(n -> n % 2 == 0).map(n -> n * 10);
        assertThat(evensTimesTen.toList()).containsExactly(20, 40);
        assertThat(evensTimesTen.toList()).containsExactly(20, 40);
        assertThat(evensTimesTen.source()).isEmpty();
    }

    @Test
    void jsonLinesFilesAreReadLazilyAndAfresh() throws Exception {
        Path file = write("train.jsonl", """
                {"number": 1, "label": "a"}

                {"number": 2, "label": "b"}
                """);
        DataStream<SampleRecord> stream = DataStream.open(new DataSource.File(file.toString()), SampleRecord.class);
        assertThat(stream.toList()).containsExactly(new SampleRecord(1, "a"), new SampleRecord(2, "b"));
        Files.writeString(file, "{\"number\": 3, \"label\": \"c\"}\n");
        assertThat(stream.toList()).containsExactly(new SampleRecord(3, "c"));
    }

    @Test
    void jsonArrayFilesAndCsvFilesWithAHeader() throws Exception {
        Path json = write("train.json", "[{\"number\": 1, \"label\": \"a\"}, {\"number\": 2, \"label\": \"b\"}]");
        Path csv = write("train.csv", "number,label\n1,a\n2,b\n");
        assertThat(DataStream.open(new DataSource.File(json.toString()), SampleRecord.class)
                        .toList())
                .containsExactly(new SampleRecord(1, "a"), new SampleRecord(2, "b"));
        assertThat(DataStream.open(new DataSource.File(csv.toString()), SampleRecord.class)
                        .toList())
                .containsExactly(new SampleRecord(1, "a"), new SampleRecord(2, "b"));
    }

    @Test
    void aDirectoryOfFilesAndAListOfFiles() throws Exception {
        Path a = write("dir/a.jsonl", "{\"number\": 1, \"label\": \"a\"}\n");
        Path b = write("dir/b.jsonl", "{\"number\": 2, \"label\": \"b\"}\n");
        write("dir/ignored.txt", "not data");
        assertThat(DataStream.open(new DataSource.Directory(tmp.resolve("dir").toString(), "jsonl"), SampleRecord.class)
                        .toList())
                .extracting(SampleRecord::number)
                .containsExactly(1, 2);
        assertThat(DataStream.open(new DataSource.ListOfFiles(List.of(b.toString(), a.toString())), SampleRecord.class)
                        .toList())
                .extracting(SampleRecord::number)
                .containsExactly(2, 1);
    }

    @Test
    void descriptorsHaveCaikitsShapesAndRoundTrip() throws Exception {
        List<String> descriptors = List.of(
                "{\"data\":[{\"number\":1,\"label\":\"a\"}]}",
                "{\"file\":{\"filename\":\"x.jsonl\"}}",
                "{\"list_of_files\":{\"files\":[\"a.csv\",\"b.csv\"]}}",
                "{\"directory\":{\"dirname\":\"d\",\"extension\":\"json\"}}");
        for (String text : descriptors) {
            JsonNode json = KilnJson.strict().readTree(text);
            assertThat(DataSource.fromJson(json).toJson()).isEqualTo(json);
        }
        DataStream<SampleRecord> inline = DataStream.of(new SampleRecord(1, "a"));
        DataStream<SampleRecord> reopened = DataStream.open(inline.source().orElseThrow(), SampleRecord.class);
        assertThat(reopened.toList()).containsExactly(new SampleRecord(1, "a"));
    }

    @Test
    void caikitsFlatHttpFormsAndGrpcJsonFormsMeanTheSameSources() throws Exception {
        String[][] pairs = {
            {"{\"data\":[{\"number\":1}]}", "{\"jsondata\":{\"data\":[{\"number\":1}]}}"},
            {"{\"filename\":\"x.jsonl\"}", "{\"file\":{\"filename\":\"x.jsonl\"}}"},
            {"{\"files\":[\"a.csv\",\"b.csv\"]}", "{\"list_of_files\":{\"files\":[\"a.csv\",\"b.csv\"]}}"},
            {
                "{\"dirname\":\"d\",\"extension\":\"jsonl\"}",
                "{\"directory\":{\"dirname\":\"d\",\"extension\":\"jsonl\"}}"
            },
        };
        for (String[] pair : pairs) {
            DataSource flat = DataSource.fromJson(KilnJson.strict().readTree(pair[0]));
            DataSource grpc = DataSource.fromJson(KilnJson.strict().readTree(pair[1]));
            assertThat(flat).as(pair[0]).isEqualTo(grpc);
        }
        assertThat(DataSource.fromJson(KilnJson.strict().readTree("{\"dirname\":\"d\"}")))
                .isEqualTo(new DataSource.Directory("d", "json"));
        assertThatThrownBy(() -> DataSource.fromJson(KilnJson.strict().readTree("{\"dirname\":\"d\",\"x\":1}")))
                .hasMessageContaining("'x'");
        assertThatThrownBy(() -> DataSource.fromJson(KilnJson.strict().readTree("{\"files\":[]}")))
                .hasMessageContaining("data_stream.files");
    }

    @Test
    void badDescriptorsAreNamed() throws Exception {
        assertThatThrownBy(() -> DataSource.fromJson(KilnJson.strict().readTree("{\"s3\":{}}")))
                .hasMessageContaining("Unknown data stream kind 's3'");
        assertThatThrownBy(() -> DataSource.fromJson(KilnJson.strict().readTree("{\"file\":{}}")))
                .hasMessageContaining("data_stream.file.filename");
        assertThatThrownBy(() -> DataSource.fromJson(KilnJson.strict().readTree("{\"data\":1, \"file\":2}")))
                .hasMessageContaining("exactly one");
    }

    @Test
    void aMissingFileFailsWithItsPath() {
        Path missing = tmp.resolve("nope.jsonl");
        DataStream<SampleRecord> stream = DataStream.open(new DataSource.File(missing.toString()), SampleRecord.class);
        assertThatThrownBy(stream::toList)
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining(missing.toString());
    }

    @Test
    void aNullRecordFailsWithFileAndLineRatherThanReachingTheModule() throws Exception {
        Path jsonl = write("nulls.jsonl", "{\"number\": 1, \"label\": \"a\"}\nnull\n");
        assertThatThrownBy(() -> DataStream.open(new DataSource.File(jsonl.toString()), SampleRecord.class)
                        .toList())
                .isInstanceOf(KilnException.class)
                .hasMessageContaining(jsonl.toString())
                .hasMessageContaining("line 2")
                .hasMessageContaining("cannot be null");
    }

    @Test
    void aJsonLinesFileThatIsNotUtf8FailsWithFileAndLine() throws Exception {
        Path jsonl = tmp.resolve("latin1.jsonl");
        byte[] first = "{\"number\": 1, \"label\": \"a\"}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] second = {'{', '"', 'l', 'a', 'b', 'e', 'l', '"', ':', '"', (byte) 0xE9, '"', '}', '\n'};
        Files.write(
                jsonl,
                java.nio.ByteBuffer.allocate(first.length + second.length)
                        .put(first)
                        .put(second)
                        .array());
        assertThatThrownBy(() -> DataStream.open(new DataSource.File(jsonl.toString()), SampleRecord.class)
                        .toList())
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining(jsonl.toString())
                .hasMessageContaining("line 2")
                .hasMessageContaining("UTF-8");
    }

    @Test
    void aBadRecordFailsWithFileAndLine() throws Exception {
        Path jsonl = write("bad.jsonl", "{\"number\": 1, \"label\": \"a\"}\n{\"number\": \n");
        assertThatThrownBy(() -> DataStream.open(new DataSource.File(jsonl.toString()), SampleRecord.class)
                        .toList())
                .hasMessageContaining(jsonl.toString())
                .hasMessageContaining("line 2");
        Path wrongType = write("wrong.jsonl", "{\"number\": 1, \"label\": \"a\"}\n\n{\"number\": \"x\"}\n");
        assertThatThrownBy(() -> DataStream.open(new DataSource.File(wrongType.toString()), SampleRecord.class)
                        .toList())
                .hasMessageContaining(wrongType.toString())
                .hasMessageContaining("line 3");
        Path csv = write("bad.csv", "number,label\n1,a\nx,b\n");
        assertThatThrownBy(() -> DataStream.open(new DataSource.File(csv.toString()), SampleRecord.class)
                        .toList())
                .hasMessageContaining(csv.toString())
                .hasMessageContaining("line 3");
    }

    @Test
    void anUnknownExtensionIsNamed() throws Exception {
        Path txt = write("data.txt", "hello");
        assertThatThrownBy(() -> DataStream.open(new DataSource.File(txt.toString()), Map.class)
                        .toList())
                .hasMessageContaining(txt.toString())
                .hasMessageContaining("unknown extension");
    }

    @Test
    void withoutABasePathsAreTakenAsGiven() {
        DataSource source = new DataSource.File("../anywhere/x.jsonl");
        assertThat(FileSourcePolicy.unrestricted().resolve(source)).isEqualTo(source);
    }

    @Test
    void withABaseRelativePathsResolveInsideIt() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("base"));
        FileSourcePolicy policy = FileSourcePolicy.confinedTo(base);
        DataSource resolved = policy.resolve(new DataSource.ListOfFiles(List.of("a.jsonl", "sub/../b.jsonl")));
        assertThat(((DataSource.ListOfFiles) resolved).files())
                .containsExactly(
                        base.resolve("a.jsonl").toString(),
                        base.resolve("b.jsonl").toString());
    }

    @Test
    void withABasePathsThatEscapeAreRejected() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("base"));
        Path outside = write("secret.jsonl", "{}\n");
        Files.createSymbolicLink(base.resolve("link.jsonl"), outside);
        FileSourcePolicy policy = FileSourcePolicy.confinedTo(base);
        assertThatThrownBy(() -> policy.resolve(new DataSource.File("../secret.jsonl")))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("../secret.jsonl");
        assertThatThrownBy(() -> policy.resolve(new DataSource.File(outside.toString())))
                .hasMessageContaining("must be relative");
        assertThatThrownBy(() -> policy.resolve(new DataSource.File("link.jsonl")))
                .hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> policy.resolve(new DataSource.Directory("..", "jsonl")))
                .hasMessageContaining("escapes");
    }

    @Test
    void aStreamOpenedUnderABaseRefusesEveryFileWhoseLinksLeadOutWhenItReads() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("base"));
        Path dir = Files.createDirectories(base.resolve("dir"));
        Files.writeString(dir.resolve("a.jsonl"), "{\"number\": 1, \"label\": \"a\"}\n");
        Path outside = write("secret.jsonl", "{\"number\": 2, \"label\": \"secret\"}\n");
        FileSourcePolicy policy = FileSourcePolicy.confinedTo(base);
        DataSource source = policy.resolve(new DataSource.Directory("dir", "jsonl"));
        DataSource file = policy.resolve(new DataSource.File("dir/a.jsonl"));
        DataStream<SampleRecord> fromDir = DataStream.open(source, SampleRecord.class, policy);
        DataStream<SampleRecord> single = DataStream.open(file, SampleRecord.class, policy);
        assertThat(fromDir.toList()).hasSize(1);

        Files.createSymbolicLink(dir.resolve("b.jsonl"), outside);
        assertThatThrownBy(fromDir::toList)
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("'dir/b.jsonl'")
                .hasMessageContaining("outside the data directory");
        assertThatThrownBy(() -> policy.resolve(new DataSource.Directory("dir", "jsonl")))
                .hasMessageContaining("'dir/b.jsonl'");
        assertThat(DataStream.open(source, SampleRecord.class).toList())
                .as("unconfined, the same directory is read as it is")
                .hasSize(2);

        Files.delete(dir.resolve("a.jsonl"));
        Files.createSymbolicLink(dir.resolve("a.jsonl"), outside);
        assertThatThrownBy(single::toList).hasMessageContaining("'dir/a.jsonl'");
    }

    @Test
    void linksThatStayInsideTheBaseAreRead() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("base"));
        Path dir = Files.createDirectories(base.resolve("dir"));
        Path kept = Files.writeString(base.resolve("kept.data"), "{\"number\": 1, \"label\": \"a\"}\n");
        Files.createSymbolicLink(dir.resolve("a.jsonl"), kept);
        FileSourcePolicy policy = FileSourcePolicy.confinedTo(base);
        DataSource source = policy.resolve(new DataSource.Directory("dir", "jsonl"));
        assertThat(DataStream.open(source, SampleRecord.class, policy).toList())
                .extracting(SampleRecord::number)
                .containsExactly(1);
    }
}
