package dev.kiln.bench.calls;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.connect.IllegalConnectorArgumentsException;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.MethodEntryEvent;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.MethodEntryRequest;
import dev.kiln.bench.BenchOutput;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the methods one thread-mode train→await enters ({@code calls}, Kiln's own among them {@code kiln_calls}),
 * in a JVM it starts under the JDK's debugger agent ({@link ColdCallsTarget}). While Kiln's code is interpreted, as
 * in a process's first few hundred jobs, each call costs tens of nanoseconds, so the count is the cold round trip's
 * cost, and unlike a time it does not move with the machine's load. Only the JDK's part moves, by a call or two,
 * with the bucket the random training id falls in ({@code ConcurrentHashMap} finds it empty or not).
 *
 * <pre>java -cp kiln-bench/target/kiln-bench.jar dev.kiln.bench.calls.ColdCalls [--tree] [--before JAR]</pre>
 *
 * <p>Prints one line, {@code {"bench":"calls_per_round_trip","calls":…,"kiln_calls":…}}; {@code --tree} first
 * prints each method entered, indented by its depth, on stderr. {@code --before JAR} puts another build's harness jar
 * ahead of this one on the counted JVM's class path, so that its Kiln is counted: two builds compared call for call.
 */
public final class ColdCalls {
    static final String NAME = "calls_per_round_trip";
    private static final String TRAINER_CLASS = "dev/kiln/local/LocalModelTrainer.class";
    private static final Pattern LISTENING = Pattern.compile("Listening for transport dt_socket at address: (\\d+)");

    private ColdCalls() {}

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        boolean tree = options.contains("--tree");
        int before = options.indexOf("--before");
        String classPath = System.getProperty("java.class.path");
        if (before >= 0) {
            String problem = before + 1 >= args.length
                    ? "--before needs the path of a harness jar"
                    : notAHarnessJar(Path.of(args[before + 1]));
            if (problem != null) {
                System.err.println("kiln cold calls: " + problem);
                System.exit(2);
            }
            classPath = args[before + 1] + File.pathSeparator + classPath;
        }
        List<String> entered = count(classPath);
        if (tree) {
            entered.forEach(System.err::println);
        }
        long kiln =
                entered.stream().filter(m -> m.strip().startsWith("dev.kiln.")).count();
        Map<String, Object> line = BenchOutput.line(NAME);
        line.put("calls", entered.size());
        line.put("kiln_calls", kiln);
        new BenchOutput(System.out, System.err).emit(line);
    }

    /**
     * Why {@code jar} cannot stand before this build on the counted JVM's class path, or null if it can. A JVM skips
     * a class path entry it cannot read without a word, so a wrong path would count this build instead.
     */
    static String notAHarnessJar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            return "--before " + jar + ": no such file";
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getEntry(TRAINER_CLASS) == null
                    ? "--before " + jar + ": not a Kiln harness jar (it has no " + TRAINER_CLASS + ")"
                    : null;
        } catch (IOException e) {
            return "--before " + jar + ": not a jar (" + e.getMessage() + ")";
        }
    }

    /**
     * The methods the counted round trip entered, in order, each indented by its depth below the round trip.
     *
     * @param classPath the counted JVM's class path, which must hold this class's package and the harness's
     */
    static List<String> count(String classPath) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process target = new ProcessBuilder(
                        java,
                        "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:0",
                        "-cp",
                        classPath,
                        ColdCallsTarget.class.getName())
                .redirectErrorStream(true)
                .start();
        try {
            int port = debuggerPort(target);
            return countIn(attach(port));
        } finally {
            target.destroyForcibly();
            target.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static int debuggerPort(Process target) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(target.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new IOException("The target JVM ended without listening for a debugger");
    }

    private static VirtualMachine attach(int port) throws IOException {
        AttachingConnector connector = Bootstrap.virtualMachineManager().attachingConnectors().stream()
                .filter(c -> c.name().equals("com.sun.jdi.SocketAttach"))
                .findFirst()
                .orElseThrow(() -> new IOException("This JDK has no socket-attaching debugger connector"));
        Map<String, Connector.Argument> arguments = connector.defaultArguments();
        arguments.get("hostname").setValue("127.0.0.1");
        arguments.get("port").setValue(Integer.toString(port));
        try {
            return connector.attach(arguments);
        } catch (IllegalConnectorArgumentsException e) {
            throw new IOException(e);
        }
    }

    private static List<String> countIn(VirtualMachine vm) throws InterruptedException, IOException {
        ClassPrepareRequest prepared = vm.eventRequestManager().createClassPrepareRequest();
        prepared.addClassFilter(ColdCallsTarget.class.getName());
        prepared.enable();
        vm.resume();
        List<String> entered = new ArrayList<>();
        MethodEntryRequest entries = null;
        int baseDepth = 0;
        try {
            while (true) {
                EventSet events = vm.eventQueue().remove();
                for (Event event : events) {
                    if (event instanceof ClassPrepareEvent ready) {
                        breakAt(vm, ready.referenceType(), "begin");
                        breakAt(vm, ready.referenceType(), "end");
                    } else if (event instanceof BreakpointEvent hit) {
                        if (hit.location().method().name().equals("end")) {
                            vm.dispose();
                            return entered;
                        }
                        entries = vm.eventRequestManager().createMethodEntryRequest();
                        entries.addThreadFilter(hit.thread());
                        entries.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
                        entries.enable();
                        baseDepth = hit.thread().frameCount();
                    } else if (event instanceof MethodEntryEvent entry
                            && !entry.method().declaringType().name().equals(ColdCallsTarget.class.getName())) {
                        int depth = entry.thread().frameCount() - baseDepth;
                        entered.add("  ".repeat(Math.max(0, depth))
                                + entry.method().declaringType().name() + "."
                                + entry.method().name());
                    } else if (event instanceof VMDeathEvent || event instanceof VMDisconnectEvent) {
                        throw new IOException("The target JVM ended before its counted round trip did");
                    }
                }
                events.resume();
            }
        } catch (IncompatibleThreadStateException e) {
            throw new IOException(e);
        }
    }

    private static void breakAt(VirtualMachine vm, ReferenceType type, String method) {
        BreakpointRequest request = vm.eventRequestManager()
                .createBreakpointRequest(type.methodsByName(method).get(0).location());
        request.enable();
    }
}
