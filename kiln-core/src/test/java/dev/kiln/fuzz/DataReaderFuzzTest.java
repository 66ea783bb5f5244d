package dev.kiln.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.kiln.data.DataSource;
import dev.kiln.data.DataStream;
import dev.kiln.data.RecordJson;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.testing.FuzzBudget;
import dev.kiln.testing.Mutations;
import dev.kiln.testing.SampleRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * The data-stream readers over mutated JSON Lines, JSON, CSV files and directories of them: each read gives records
 * or a {@link KilnException} (INVALID_ARGUMENT or NOT_FOUND) naming the file, never another exception.
 */
@AddLifecycleHook(FuzzBudget.class)
class DataReaderFuzzTest {
    private static final String JSONL = "{\"number\": 1, \"label\": \"a\"}\n{\"number\": 2, \"label\": \"b\"}\n";
    private static final String JSON = "[{\"number\": 1, \"label\": \"a\"},\n {\"number\": 2, \"label\": \"b\"}]\n";
    private static final String CSV = "number,label\n1,a\n2,\"b, c\"\n";
    private static final Map<String, String> SEEDS = Map.of("jsonl", JSONL, "json", JSON, "csv", CSV);

    private Path dir;

    @BeforeProperty
    void makeDir() throws IOException {
        dir = Files.createTempDirectory("kiln-fuzz-data-");
    }

    @AfterProperty
    void removeDir() {
        dev.kiln.modelformat.ModelFormat.deleteRecursively(dir);
    }

    @Provide
    Arbitrary<String> extensions() {
        return Arbitraries.of("jsonl", "json", "csv");
    }

    @Provide
    Arbitrary<byte[]> files() {
        return extensions()
                .flatMap(ext -> Mutations.ofBytes(SEEDS.get(ext).getBytes(StandardCharsets.UTF_8), 4)
                        .map(bytes -> tagged(ext, bytes)));
    }

    /** The extension rides in front of the bytes, so one generated value carries both. */
    private static byte[] tagged(String ext, byte[] bytes) {
        byte[] tag = (ext + "\u0001").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[tag.length + bytes.length];
        System.arraycopy(tag, 0, out, 0, tag.length);
        System.arraycopy(bytes, 0, out, tag.length, bytes.length);
        return out;
    }

    private Path write(byte[] tagged, String stem) throws IOException {
        int cut = 0;
        while (tagged[cut] != 1) {
            cut++;
        }
        String ext = new String(tagged, 0, cut, StandardCharsets.UTF_8);
        Path file = dir.resolve(stem + "." + ext);
        Files.write(file, java.util.Arrays.copyOfRange(tagged, cut + 1, tagged.length));
        return file;
    }

    @Property(tries = 250)
    void aFileGivesRecordsOrAnErrorNamingIt(@ForAll("files") byte[] content) throws IOException {
        Path file = write(content, "data");
        readOrNamedError(
                new DataSource.File(file.toString()), file.getFileName().toString());
    }

    @Property(tries = 60)
    void aDirectoryGivesRecordsOrAnErrorNamingAFileInIt(
            @ForAll("files") byte[] first, @ForAll("files") byte[] second, @ForAll("extensions") String ext)
            throws IOException {
        Path data = Files.createDirectories(dir.resolve("dir"));
        write(first, "dir/a");
        write(second, "dir/b");
        Files.createDirectories(data.resolve("sub." + ext));
        readOrNamedError(new DataSource.Directory(data.toString(), ext), data.toString());
    }

    private static void readOrNamedError(DataSource source, String name) {
        try {
            int typed = 0;
            for (SampleRecord r : DataStream.open(source, SampleRecord.class)) {
                assertThat(r).isNotNull();
                typed++;
            }
            int untyped = 0;
            for (Map<String, Object> r : DataStream.<Map<String, Object>>open(
                    source, RecordJson.mapper().constructType(new TypeReference<Map<String, Object>>() {}))) {
                assertThat(r).isNotNull();
                untyped++;
            }
            assertThat(untyped).isGreaterThanOrEqualTo(typed);
        } catch (KilnException e) {
            assertThat(e.code()).isIn(ErrorCode.INVALID_ARGUMENT, ErrorCode.NOT_FOUND);
            assertThat(e.getMessage()).contains(name);
        }
    }

    /** Not a property: the suite's seeds are themselves valid, so the properties start from readable data. */
    @net.jqwik.api.Example
    void theSeedsAreReadable() throws IOException {
        for (Map.Entry<String, String> seed : SEEDS.entrySet()) {
            Path file = dir.resolve("seed." + seed.getKey());
            Files.writeString(file, seed.getValue());
            assertThat(List.copyOf(toList(DataStream.open(new DataSource.File(file.toString()), SampleRecord.class))))
                    .hasSize(2);
        }
    }

    private static <T> List<T> toList(Iterable<T> items) {
        List<T> out = new java.util.ArrayList<>();
        items.forEach(out::add);
        return out;
    }
}
