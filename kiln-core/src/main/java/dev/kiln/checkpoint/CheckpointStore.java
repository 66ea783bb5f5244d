package dev.kiln.checkpoint;

import dev.kiln.files.NoFollowPaths;
import dev.kiln.module.Checkpoint;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The checkpoints of one training in a directory of their own, one file per step. A checkpoint is written to a
 * temporary file, forced to disk, and renamed into place (then the directory is forced too), so a crash at any point
 * leaves either the new checkpoint or none: the previous one stays intact. Each file carries a checksum; a file that
 * fails it is skipped. Only the newest {@code keep} checkpoints are kept.
 */
public final class CheckpointStore {
    private static final byte[] MAGIC = {'K', 'I', 'L', 'N', 'C', 'K', 'P', 'T'};
    private static final int VERSION = 1;
    private static final int HEADER = MAGIC.length + 4 + 8 + 4;
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{19})\\.bin");
    /** The file a process running the training holds locked, in the checkpoint directory. */
    static final String LOCK_FILE = ".owner.lock";

    private final Path dir;
    private final int keep;

    /**
     * @param dir the training's checkpoint directory, created on the first save
     * @param keep how many of the newest checkpoints to keep, at least 1
     */
    public CheckpointStore(Path dir, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("checkpoint_keep must be at least 1, got " + keep);
        }
        this.dir = dir;
        this.keep = keep;
    }

    /** The directory the checkpoints live in. */
    public Path directory() {
        return dir;
    }

    /** How many of the newest checkpoints are kept. */
    public int keep() {
        return keep;
    }

    /**
     * Writes the checkpoint of {@code step} atomically, then deletes all but the newest {@code keep}.
     *
     * @throws UncheckedIOException if it cannot be written; the checkpoints before it are untouched
     */
    public synchronized void save(long step, byte[] state) {
        Checkpoint checkpoint = new Checkpoint(step, state);
        Path target = dir.resolve(fileName(step));
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, ".checkpoint-", ".tmp");
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(encode(checkpoint));
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
            forceDirectory();
            prune();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write checkpoint " + step + " in " + dir + ": " + e, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    // a stray temporary file is ignored by readers and removed by the next delete()
                }
            }
        }
    }

    /**
     * The newest checkpoint that reads back whole, or empty when there is none.
     *
     * @throws UncheckedIOException if the directory cannot be listed
     */
    public synchronized Optional<Checkpoint> latest() {
        for (Path file : newestFirst()) {
            Optional<Checkpoint> read = read(file);
            if (read.isPresent()) {
                return read;
            }
        }
        return Optional.empty();
    }

    /**
     * The step of the newest checkpoint file, from its name alone (without reading it back), or empty when there is
     * none: a cheap way to see that another process has saved a new one.
     *
     * @throws UncheckedIOException if the directory cannot be listed
     */
    public OptionalLong latestStep() {
        List<Path> files = newestFirst();
        if (files.isEmpty()) {
            return OptionalLong.empty();
        }
        Matcher name = NAME.matcher(files.get(0).getFileName().toString());
        return name.matches() ? OptionalLong.of(Long.parseLong(name.group(1))) : OptionalLong.empty();
    }

    /**
     * Claims the checkpoints for this process, waiting while another process holds them: a child JVM of a server that
     * died runs on until it notices, and the attempt that resumes the training must not read or write checkpoints
     * beside it. The operating system releases the claim when the holding process dies.
     *
     * @throws UncheckedIOException if the lock file cannot be created or locked, or the wait is interrupted
     */
    public Claim claim() {
        FileChannel channel = openLock();
        try {
            return new Claim(channel, channel.lock());
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Cannot lock the checkpoints in " + dir + ": " + e, e);
        }
    }

    /**
     * Claims the checkpoints if no other process holds them.
     *
     * @return the claim, or empty while another process holds it
     * @throws UncheckedIOException if the lock file cannot be created or locked
     */
    public Optional<Claim> tryClaim() {
        FileChannel channel = openLock();
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                closeQuietly(channel);
                return Optional.empty();
            }
            return Optional.of(new Claim(channel, lock));
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Cannot lock the checkpoints in " + dir + ": " + e, e);
        }
    }

    private FileChannel openLock() {
        try {
            Files.createDirectories(dir);
            return FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the lock file of the checkpoints in " + dir + ": " + e, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // the lock goes with the channel either way
        }
    }

    /** This process's hold on a training's checkpoints; closing it lets the next process in. */
    public static final class Claim implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private Claim(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                lock.release();
            } catch (IOException e) {
                // closing the channel releases it too
            }
            closeQuietly(channel);
        }
    }

    /** The bytes the checkpoints take on disk, temporary files included; 0 when there are none. */
    public long sizeBytes() {
        return sizeOf(dir);
    }

    /** The bytes the checkpoints in {@code dir} take on disk; 0 when there are none. */
    public static long sizeOf(Path dir) {
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                try {
                    total += Files.size(file);
                } catch (IOException e) {
                    // deleted meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return total;
    }

    /** Deletes every checkpoint and the directory. */
    public synchronized void delete() {
        deleteAll(dir);
    }

    /**
     * Deletes the checkpoint directory {@code dir} and everything in it without following a symbolic link; a missing
     * directory is fine.
     *
     * @throws dev.kiln.files.LinkRefusedException if {@code dir} or a directory above it is a symbolic link
     */
    public static void deleteAll(Path dir) {
        NoFollowPaths.deleteTree(dir);
    }

    static String fileName(long step) {
        return String.format("checkpoint-%019d.bin", step);
    }

    private List<Path> newestFirst() {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "checkpoint-*.bin")) {
            for (Path file : files) {
                if (NAME.matcher(file.getFileName().toString()).matches()) {
                    found.add(file);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the checkpoints in " + dir + ": " + e, e);
        }
        found.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        return found;
    }

    private void prune() throws IOException {
        List<Path> files = newestFirst();
        for (int i = keep; i < files.size(); i++) {
            Files.deleteIfExists(files.get(i));
        }
    }

    private void forceDirectory() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory; the rename is still atomic there
        }
    }

    static byte[] encode(Checkpoint checkpoint) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(HEADER + checkpoint.state().length + 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(checkpoint.step());
            out.writeInt(checkpoint.state().length);
            out.write(checkpoint.state());
            out.writeLong(crc(checkpoint.step(), checkpoint.state()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Optional<Checkpoint> read(Path file) {
        Matcher name = NAME.matcher(file.getFileName().toString());
        if (!name.matches()) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (bytes.length < HEADER + 8) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC) || in.getInt() != VERSION) {
            return Optional.empty();
        }
        long step = in.getLong();
        int length = in.getInt();
        if (length < 0 || length != bytes.length - HEADER - 8 || step != Long.parseLong(name.group(1))) {
            return Optional.empty();
        }
        byte[] state = new byte[length];
        in.get(state);
        if (in.getLong() != crc(step, state)) {
            return Optional.empty();
        }
        return Optional.of(new Checkpoint(step, state));
    }

    private static long crc(long step, byte[] state) {
        CRC32 crc = new CRC32();
        crc.update(ByteBuffer.allocate(8).putLong(0, step));
        crc.update(state);
        return crc.getValue();
    }
}
