package dev.kiln.serving;

import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps the catalog in line with the local models directory: which ids came from it, and as of which save. */
final class LocalModels {
    private final LocalModelsDirectory dir;
    private final ModelCatalog catalog;
    private final Clock clock;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    private record Known(FileTime modified, ModelOrigin origin) {}

    LocalModels(LocalModelsDirectory dir, ModelCatalog catalog, Clock clock) {
        this.dir = dir;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** Serves new and changed models of the directory, drops those gone from it. */
    synchronized void sync() {
        Map<String, LocalModelsDirectory.Found> found = dir.scan();
        for (LocalModelsDirectory.Found f : found.values()) {
            Known k = known.get(f.id());
            if (k == null || !k.modified().equals(f.modified())) {
                served(f, k == null ? ModelOrigin.LOCAL : k.origin());
            }
        }
        for (String id : known.keySet()) {
            if (!found.containsKey(id)) {
                forget(id);
            }
        }
    }

    /** Serves the directory's model {@code id} if it has one and it is not served yet. */
    synchronized Optional<ServedModel> pickUp(String id) {
        Optional<ServedModel> current = catalog.find(id);
        if (current.isPresent()) {
            return current;
        }
        return dir.find(id).map(f -> served(f, ModelOrigin.LOCAL));
    }

    /** Serves a model of the directory under its name. */
    synchronized ServedModel served(LocalModelsDirectory.Found f, ModelOrigin origin) {
        known.put(f.id(), new Known(f.modified(), origin));
        return catalog.addLocal(
                f.id(), f.directory().path(), f.directory().string("module_id"), origin, clock.instant());
    }

    /** Stops serving a model that left the directory. */
    synchronized void forget(String id) {
        if (known.remove(id) != null) {
            catalog.remove(id);
        }
    }
}
