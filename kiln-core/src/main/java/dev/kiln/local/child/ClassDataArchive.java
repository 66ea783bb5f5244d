package dev.kiln.local.child;

import dev.kiln.worker.WorkerProtocol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application class-data archive for child JVMs: the first child writes it when it exits, later children map it
 * in and start markedly faster. On JDK 13 to 24 it is an AppCDS archive of the classes the child loaded
 * ({@code -XX:ArchiveClassesAtExit}, then {@code -XX:SharedArchiveFile}); on JDK 25 and later the JDK's
 * ahead-of-time cache ({@code -XX:AOTCacheOutput}, then {@code -XX:AOTCache}), which also holds the classes linked
 * and initialised and the methods' profiles. The child's JDK decides, not this JVM's: children may run a newer one.
 * The archive is named after everything it depends on (the child's JDK, its options, every class
 * path file with its size and time), so a changed jar or option gets a new one instead of a silently useless one.
 * It is off when a directory with classes is on the class path (the JVM cannot archive those) or when the options
 * already choose what to do about sharing. An archive is only kept in, and taken from, a directory of this user's that
 * nobody else may write to: a planted archive would be mapped into every child.
 *
 * <p>A child writes the archive as its JVM exits normally, so a child that is killed (a cancelled training, a lost
 * heartbeat) or never starts writes none; its turn is given back, and the next child writes it. Only a child that
 * exits normally without an archive uses up one of the {@link #MAX_DUMPS} tries: that JDK cannot write one here.
 */
final class ClassDataArchive {
    private static final Logger LOG = LoggerFactory.getLogger(ClassDataArchive.class);
    /** How many children may exit without leaving an archive before no child is asked for one any more. */
    static final int MAX_DUMPS = 2;

    private static final String QUIET = "-Xlog:cds*=off";
    private static final String QUIET_AOT = "-Xlog:aot*=off";

    private final Path archive;
    private final boolean aot;
    private final AtomicInteger dumpsStarted = new AtomicInteger();
    private volatile Path dumping; // guarded by this (written; read without it)

    private ClassDataArchive(Path archive, boolean aot) {
        this.archive = archive;
        this.aot = aot;
    }

    /** The archive for these options, or null when class-data sharing cannot or should not be used. */
    static ClassDataArchive forOptions(ChildJvmOptions options) {
        if (!options.classDataSharing()
                || System.getProperty("java.vm.name", "").contains("OpenJ9")) {
            return null;
        }
        for (String option : options.jvmOptions()) {
            if (option.startsWith("-Xshare:off")
                    || option.startsWith("-XX:SharedArchiveFile")
                    || option.startsWith("-XX:ArchiveClassesAtExit")
                    || option.contains("AutoCreateSharedArchive")
                    || option.startsWith("-XX:AOT")) {
                return null;
            }
        }
        ChildJdk jdk = ChildJdk.of(options.java());
        if (!jdk.hasDynamicArchive()) {
            return null;
        }
        List<Path> classpath = ChildClasspath.expand(options.classpath());
        if (!ChildClasspath.archivable(classpath)) {
            return null;
        }
        return new ClassDataArchive(
                options.workDir()
                        .toAbsolutePath()
                        .normalize()
                        .resolve(".class-data")
                        .resolve("worker-" + fingerprint(options, jdk, classpath)
                                + (jdk.hasAotCache() ? ".aot" : ".jsa")),
                jdk.hasAotCache());
    }

    private static String fingerprint(ChildJvmOptions options, ChildJdk jdk, List<Path> classpath) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            StringBuilder text = new StringBuilder();
            text.append(jdk.identity()).append('\n');
            options.jvmOptions().forEach(o -> text.append(o).append('\n'));
            for (Path entry : classpath) {
                text.append(entry).append('|');
                if (Files.isRegularFile(entry)) {
                    text.append(Files.size(entry))
                            .append('|')
                            .append(Files.getLastModifiedTime(entry).toMillis());
                }
                text.append('\n');
            }
            byte[] hash = digest.digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException | IOException e) {
            return UUID.randomUUID().toString();
        }
    }

    /** The options for the next child: use the archive if it is there, else (once at a time) dump one. */
    Launch nextLaunch() {
        Path dir = archive.getParent();
        if (Files.isRegularFile(archive, LinkOption.NOFOLLOW_LINKS) && PrivateDirectories.trusted(dir)) {
            return new Launch(
                    aot
                            ? List.of("-XX:AOTCache=" + archive, QUIET, QUIET_AOT)
                            : List.of("-XX:SharedArchiveFile=" + archive, QUIET),
                    null);
        }
        synchronized (this) {
            if (dumping != null || dumpsStarted.get() >= MAX_DUMPS) {
                return Launch.NONE;
            }
            try {
                PrivateDirectories.create(dir);
            } catch (IOException e) {
                dumpsStarted.set(MAX_DUMPS);
                return Launch.NONE;
            }
            if (!PrivateDirectories.trusted(dir)) {
                LOG.warn(
                        "Not keeping a class-data archive for child JVMs in {}: it belongs to another user or "
                                + "others may write to it",
                        dir);
                dumpsStarted.set(MAX_DUMPS);
                return Launch.NONE;
            }
            dumpsStarted.incrementAndGet();
            dumping = archive.resolveSibling("." + archive.getFileName() + "." + UUID.randomUUID() + ".tmp");
            return new Launch(
                    aot
                            ? List.of("-XX:AOTCacheOutput=" + dumping, QUIET, QUIET_AOT)
                            : List.of("-XX:ArchiveClassesAtExit=" + dumping, QUIET),
                    dumping);
        }
    }

    /**
     * A child has exited; if it was dumping the archive and ended well, the archive is put in place. One that ended
     * otherwise gives its turn back unless it exited normally (code 0, or 1 for a training that failed).
     */
    void exited(Launch launch, int exitCode) {
        Path dump = launch.dumpTo();
        if (dump == null) {
            return;
        }
        boolean exitedNormally = exitCode == WorkerProtocol.EXIT_COMPLETED || exitCode == WorkerProtocol.EXIT_FAILED;
        try {
            if (exitedNormally && Files.size(dump) > 0) {
                Files.move(dump, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                LOG.debug("Class-data archive for child JVMs written to {}", archive);
            }
        } catch (IOException e) {
            LOG.debug("No class-data archive from the child that exited with {}: {}", exitCode, e.toString());
        } finally {
            if (!exitedNormally) {
                dumpsStarted.decrementAndGet(); // killed, or never started: it could not write one
            }
            for (Path leftover : List.of(dump, dump.resolveSibling(dump.getFileName() + ".config"))) {
                try {
                    Files.deleteIfExists(leftover);
                } catch (IOException e) {
                    LOG.debug("Cannot delete {}: {}", leftover, e.toString());
                }
            }
            synchronized (this) {
                dumping = null;
            }
        }
    }

    /** Where the archive lives. */
    Path path() {
        return archive;
    }

    /**
     * The archive options one child starts with.
     *
     * @param options the JVM options to add
     * @param dumpTo the file this child dumps an archive to at exit, or null
     */
    record Launch(List<String> options, Path dumpTo) {
        static final Launch NONE = new Launch(List.of(), null);
    }
}
