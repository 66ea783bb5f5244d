package dev.kiln.serving.task;

import dev.kiln.error.KilnException;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.module.ModuleType;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tasks with known shapes, found by caikit's class name, by route name or by a module's task. */
public final class TaskRegistry {
    private final Map<String, TaskSpec> byModuleTask = new LinkedHashMap<>();
    private final Map<String, TaskSpec> byName = new LinkedHashMap<>();
    private final Map<String, TaskSpec> byRoute = new LinkedHashMap<>();

    /** A registry of these tasks. */
    public TaskRegistry(Collection<? extends TaskSpec> tasks) {
        tasks.forEach(this::add);
    }

    /** caikit's {@code TextClassificationTask} and Kiln's tabular classification and regression tasks. */
    public static TaskRegistry standard() {
        return new TaskRegistry(
                List.of(new TextClassificationTask(), new TabularClassificationTask(), new TabularRegressionTask()));
    }

    /** The standard tasks, and a pass-through task for each other task the modules declare. */
    public static TaskRegistry of(ModuleRegistry modules) {
        TaskRegistry r = standard();
        for (ModuleType<?, ?> m : modules.all()) {
            String task = m.descriptor().task();
            if (!r.byModuleTask.containsKey(task) && !r.byName.containsKey(task)) {
                r.add(new PassThroughTask(task));
            }
        }
        return r;
    }

    private void add(TaskSpec task) {
        byModuleTask.put(task.moduleTask(), task);
        byName.put(task.name(), task);
        byRoute.put(task.routeName(), task);
    }

    /** The task a module performs: its registered shape, else a pass-through task named after it. */
    public TaskSpec forModule(ModuleDescriptor module) {
        return forModuleTask(module.task());
    }

    /** The task for a module's declared task name (or caikit's class name). */
    public TaskSpec forModuleTask(String moduleTask) {
        TaskSpec t = byModuleTask.get(moduleTask);
        if (t == null) {
            t = byName.get(moduleTask);
        }
        return t != null ? t : new PassThroughTask(moduleTask);
    }

    /** The task with this caikit class name, such as {@code TextClassificationTask}. */
    public Optional<TaskSpec> byName(String taskClass) {
        return Optional.ofNullable(byName.get(taskClass));
    }

    /**
     * The task at this route name, such as {@code text-classification}.
     *
     * @throws KilnException NOT_FOUND listing the known route names
     */
    public TaskSpec byRoute(String routeName) {
        TaskSpec t = byRoute.get(routeName);
        if (t == null) {
            throw KilnException.notFound(
                    "Unknown task '" + routeName + "'; known tasks: " + String.join(", ", byRoute.keySet()));
        }
        return t;
    }

    /** The route names of the tasks with known shapes. */
    public Collection<String> routeNames() {
        return List.copyOf(byRoute.keySet());
    }

    /** Every task with a known shape. */
    public Collection<TaskSpec> all() {
        return List.copyOf(byName.values());
    }
}
