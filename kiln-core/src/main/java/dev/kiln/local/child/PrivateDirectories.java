package dev.kiln.local.child;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories only this user may use. {@code work_dir} defaults to a place under the shared temporary directory, so
 * the trainer's directories are made owner-only, and a directory another user could write to is never trusted with
 * files that child JVMs load, such as a class-data archive.
 */
final class PrivateDirectories {
    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private PrivateDirectories() {}

    /** Creates {@code dir} and any missing parents, the created ones readable and writable by this user only. */
    static Path create(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            create(parent);
        }
        try {
            return POSIX ? Files.createDirectory(dir, ownerOnly()) : Files.createDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return dir;
        }
    }

    /** Creates one new directory, readable and writable by this user only. */
    static Path createNew(Path dir) throws IOException {
        return POSIX ? Files.createDirectory(dir, ownerOnly()) : Files.createDirectory(dir);
    }

    /** Whether {@code dir} belongs to this user and nobody else may write to it (always true where POSIX is not). */
    static boolean trusted(Path dir) {
        if (!POSIX) {
            return true;
        }
        try {
            PosixFileAttributes attributes =
                    Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> permissions = attributes.permissions();
            return attributes.isDirectory()
                    && attributes.owner().getName().equals(System.getProperty("user.name"))
                    && !permissions.contains(PosixFilePermission.GROUP_WRITE)
                    && !permissions.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    }
}
