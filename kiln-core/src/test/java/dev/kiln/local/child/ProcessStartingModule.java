package dev.kiln.local.child;

import dev.kiln.module.Model;
import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModelWriter;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleInfo;
import dev.kiln.module.ModuleType;
import dev.kiln.module.Param;
import dev.kiln.module.TrainingContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A module for tests whose training starts a long-lived process ({@code sleep 600}), writes its pid to a file and
 * completes, leaving the process behind: what a training that forgets to stop what it started looks like. It is
 * not registered with the test class path's modules (other modules' tests list those); a test that trains it gives
 * the child JVMs a class path entry that registers it ({@link #registration}).
 */
@ModuleInfo(
        id = "5e1f0c2a-7b3d-4e8f-9a61-0c2d4b6e8f10",
        name = "ProcessStartingModule",
        version = "0.0.1",
        task = "SampleTask")
public final class ProcessStartingModule
        implements ModuleType<ProcessStartingModule.Params, ProcessStartingModule.Left> {
    /** Parameters of {@link ProcessStartingModule}. */
    public record Params(
            @Param(description = "Write the started process's pid here")
            String pidFile) {}

    /**
     * Writes, under {@code dir}, the service registration that makes this module known to a JVM with {@code dir} on
     * its class path, and returns {@code dir}.
     */
    static Path registration(Path dir) throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF").resolve("services"));
        Files.writeString(services.resolve(ModuleType.class.getName()), ProcessStartingModule.class.getName() + "\n");
        return dir;
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Left train(Params parameters, TrainingContext context) throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "600").start();
        Files.writeString(Path.of(parameters.pidFile()), Long.toString(sleeper.pid()));
        return new Left(descriptor());
    }

    @Override
    public Left load(ModelDirectory directory) {
        return new Left(descriptor());
    }

    /** A model with nothing in it. */
    public record Left(ModuleDescriptor module) implements Model {
        @Override
        public void save(ModelWriter writer) {
            // nothing to keep
        }
    }
}
