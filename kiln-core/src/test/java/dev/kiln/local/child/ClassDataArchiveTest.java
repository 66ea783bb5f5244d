package dev.kiln.local.child;

import static dev.kiln.local.child.ChildTrainers.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.job.JobStatus;
import dev.kiln.local.LocalModelTrainer;
import dev.kiln.testing.SampleModule;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a class path of jars, the first child dumps a class-data archive and later children map it in. */
class ClassDataArchiveTest {
    @TempDir
    Path tmp;

    private ChildTrainers trainers;

    @AfterEach
    void close() {
        if (trainers != null) {
            trainers.close();
        }
    }

    /** This JVM's class path with every directory packed into a jar, as an installed application has it. */
    private String jarredClasspath() throws IOException {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (Path entry : ChildClasspath.expand(ChildClasspath.current())) {
            if (Files.isDirectory(entry)) {
                entries.add(jar(entry, tmp.resolve("packed-" + n++ + ".jar")).toString());
            } else if (entry.toString().endsWith(".jar")
                    && Files.isRegularFile(entry)
                    && !entry.getFileName().toString().startsWith("surefire")) {
                entries.add(entry.toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static Path jar(Path dir, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream zip = new JarOutputStream(out);
                Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                if (Files.isRegularFile(file)) {
                    zip.putNextEntry(
                            new JarEntry(dir.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, zip);
                    zip.closeEntry();
                }
            }
        }
        return jar;
    }

    @Test
    void theFirstChildWritesTheArchiveAndTheNextOneMapsIt() throws Exception {
        trainers = new ChildTrainers(tmp.resolve("work"));
        LocalModelTrainer trainer = trainers.trainer(Map.of("classpath", jarredClasspath()));
        Path archive = trainers.runner(trainer).classDataArchive();
        assertThat(archive)
                .as("an archive for an all-jar class path")
                .isNotNull()
                .doesNotExist();

        ModelFuture first = trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        assertThat(first.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        await().atMost(WAIT).until(() -> Files.isRegularFile(archive));
        try (Stream<Path> left = Files.list(archive.getParent())) {
            assertThat(left).as("no temporary dump left").containsExactly(archive);
        }

        Path gate = tmp.resolve("gate");
        Path started = tmp.resolve("started");
        ModelFuture second = trainer.train(
                new SampleModule(), SampleModule.Params.defaults().withGate(gate, started), TrainOptions.none());
        long pid = ChildTrainers.startedPid(started);
        assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "maps")))
                .contains(archive.toString());
        assertThat(first.logs()).doesNotContain("cds");
        Files.writeString(gate, "go");
        assertThat(second.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(second.logs()).doesNotContain("cds");
    }

    @Test
    void aClassPathWithClassDirectoriesGetsNoArchive() {
        trainers = new ChildTrainers(tmp.resolve("work"));
        LocalModelTrainer trainer =
                trainers.trainer(Map.of("classpath", String.join(File.pathSeparator, ChildClasspath.current())));
        boolean hasClassDirectory =
                ChildClasspath.expand(ChildClasspath.current()).stream().anyMatch(Files::isDirectory);
        assertThat(hasClassDirectory)
                .as("this test runs from class directories")
                .isTrue();
        assertThat(trainers.runner(trainer).classDataArchive()).isNull();
    }

    /** Temurin 25, installed beside the default JDK on Kiln's build machines; KILN_JDK25_HOME names another. */
    private static final Path JDK25 =
            Path.of(Optional.ofNullable(System.getenv("KILN_JDK25_HOME")).orElse("/usr/lib/jvm/temurin-25-jdk-amd64"));

    /**
     * Skips when no JDK 25 is here (a user's machine may have only a JDK 17), or fails when KILN_REQUIRE_JDK25=1, as
     * CI sets it.
     */
    private static void requireJdk25() {
        if (Files.isExecutable(JDK25.resolve("bin").resolve("java"))) {
            return;
        }
        String message = "no JDK 25 at " + JDK25 + " for the children: set KILN_JDK25_HOME to one, or set"
                + " KILN_REQUIRE_JDK25=1 to make a missing JDK 25 fail the build instead of skipping this test";
        if ("1".equals(System.getenv("KILN_REQUIRE_JDK25"))) {
            Assertions.fail("KILN_REQUIRE_JDK25=1 but " + message);
        }
        Assumptions.abort(message);
    }

    @Test
    void childrenOnJdk25WriteAndMapItsAheadOfTimeCache() throws Exception {
        requireJdk25();
        trainers = new ChildTrainers(tmp.resolve("work"));
        LocalModelTrainer trainer =
                trainers.trainer(Map.of("classpath", jarredClasspath(), "java_home", JDK25.toString()));
        Path archive = trainers.runner(trainer).classDataArchive();
        assertThat(archive.getFileName().toString()).endsWith(".aot");

        ModelFuture first = trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        assertThat(first.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        await().atMost(Duration.ofMinutes(3)).until(() -> Files.isRegularFile(archive));
        await().atMost(WAIT).untilAsserted(() -> {
            try (Stream<Path> left = Files.list(archive.getParent())) {
                assertThat(left).as("no temporary files left").containsExactly(archive);
            }
        });

        Path gate = tmp.resolve("gate");
        Path started = tmp.resolve("started");
        ModelFuture second = trainer.train(
                new SampleModule(), SampleModule.Params.defaults().withGate(gate, started), TrainOptions.none());
        long pid = ChildTrainers.startedPid(started);
        assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")))
                .contains(JDK25.resolve("bin").resolve("java").toString())
                .contains("-XX:AOTCache=" + archive)
                .doesNotContain("-Xshare");
        assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "maps")))
                .contains(archive.toString());
        Files.writeString(gate, "go");
        assertThat(second.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(second.logs()).doesNotContainIgnoringCase("aot");
    }

    /** The archive of children started with this JVM's {@code java} and a class path of one small jar. */
    private ClassDataArchive archiveForOneJar() throws IOException {
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        Files.writeString(classes.resolve("data.txt"), "data");
        Path jar = jar(classes, tmp.resolve("one.jar"));
        ClassDataArchive archive = ClassDataArchive.forOptions(new ChildJvmOptions(
                JavaExecutable.current(),
                List.of(jar.toString()),
                List.of(),
                Map.of(),
                tmp.resolve("work"),
                StartMethod.SPAWN,
                0,
                WarmPoolRefill.AFTER_JOB,
                Duration.ZERO,
                1024,
                ChildJvmOptions.HEARTBEAT_INTERVAL,
                ChildJvmOptions.SILENCE_TIMEOUT,
                "Main",
                true));
        assertThat(archive).as("an archive for a class path of one jar").isNotNull();
        return archive;
    }

    @Test
    void aChildThatIsKilledGivesItsTurnToWriteTheArchiveBack() throws Exception {
        ClassDataArchive archive = archiveForOneJar();
        for (int i = 0; i < ClassDataArchive.MAX_DUMPS + 2; i++) {
            ClassDataArchive.Launch launch = archive.nextLaunch();
            assertThat(launch.dumpTo())
                    .as("child %d is asked to write the archive", i)
                    .isNotNull();
            assertThat(archive.nextLaunch())
                    .as("one child at a time writes it")
                    .isEqualTo(ClassDataArchive.Launch.NONE);
            archive.exited(launch, 128 + 9); // SIGKILL, as a cancelled training's worker ends
        }
        for (int i = 0; i < ClassDataArchive.MAX_DUMPS; i++) {
            ClassDataArchive.Launch launch = archive.nextLaunch();
            assertThat(launch.dumpTo()).as("after the killed ones, child %d", i).isNotNull();
            archive.exited(launch, 0); // exited normally and wrote nothing: this JDK cannot, here
        }
        assertThat(archive.nextLaunch())
                .as("no more tries once children that exited normally wrote none")
                .isEqualTo(ClassDataArchive.Launch.NONE);
        assertThat(archive.path()).doesNotExist();
    }

    @Test
    void theArchiveOfAChildWhoseTrainingFailedIsKept() throws Exception {
        ClassDataArchive archive = archiveForOneJar();
        ClassDataArchive.Launch launch = archive.nextLaunch();
        Files.writeString(launch.dumpTo(), "an archive the JVM wrote as it exited");

        archive.exited(launch, 1); // a failed training's worker exits with 1, normally

        assertThat(archive.path()).hasContent("an archive the JVM wrote as it exited");
        String mapIt = archive.path().toString().endsWith(".aot") ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=";
        assertThat(archive.nextLaunch().options()).contains(mapIt + archive.path());
    }
}
