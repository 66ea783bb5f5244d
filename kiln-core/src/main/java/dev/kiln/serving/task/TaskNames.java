package dev.kiln.serving.task;

import java.util.Locale;

/** caikit's naming rules for tasks ({@code caikit/runtime/names.py}). */
public final class TaskNames {
    private TaskNames() {}

    /** caikit's task class name for a module's task: the task with {@code Task} appended unless it ends so. */
    public static String className(String moduleTask) {
        return moduleTask.endsWith("Task") ? moduleTask : moduleTask + "Task";
    }

    /**
     * The route name of a task class, as caikit's {@code get_http_route_name}: {@code Task} stripped from the end,
     * then a hyphen before every capital but the first, lower-cased ({@code TextClassificationTask} gives {@code text-classification}).
     */
    public static String kebab(String taskClass) {
        String base = taskClass.endsWith("Task") ? taskClass.substring(0, taskClass.length() - 4) : taskClass;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            if (i > 0 && c >= 'A' && c <= 'Z') {
                out.append('-');
            }
            out.append(c);
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
