/*
 * AdminRun: runs one Apache mqadmin sub-command (MQAdminStartup, unchanged) and then
 * exits the JVM at once.
 *
 * Why: after a sub-command finishes, Apache's admin client leaves Netty event loops
 * shutting down "gracefully" for about three seconds before the JVM can exit. The
 * interop tests run dozens of mqadmin commands, so that tail would dominate their run
 * time. The command's work and output are complete when main() returns; only the idle
 * wait is skipped. Exit status is 0, like the mqadmin shell script (mqadmin reports
 * failures on stdout/stderr, not through its exit status).
 *
 * With RMQ_ADMIN_EXTRA=getConsumerStatus in the environment it also registers
 * GetConsumerStatusCommand, which the 5.3 tools ship but MQAdminStartup does not list
 * (the only mqadmin front end of INVOKE_BROKER_TO_GET_CONSUMER_STATUS).
 *
 * Shared JVM: "AdminRun --serve DIR PARENT_PID" stays up and runs many commands, one after
 * the other, so that a test pays one JVM start instead of one per command (each start
 * costs about 1.5-2 s of both cores). lib.sh's rmq_shared_jvm drives it:
 *   - a request is a file DIR/req.ID (renamed into place when complete) holding
 *     NUL-terminated fields: KIND ("admin": MQAdminStartup.main0; "probe": NsProbe), the
 *     RMQ_ADMIN_EXTRA value (may be empty), then the command's arguments;
 *   - the command's stdout and stderr (one stream, in program order) go to DIR/out.ID,
 *     then DIR/rc.ID appears holding its exit status; "delegate" instead means: run this
 *     one in a JVM of its own. That is the answer for a command line MQAdminStartup would
 *     reject or answer with -h: ServerUtil.parseCmdLine then calls System.exit, which would
 *     end this JVM (a shutdown hook still answers "1" should anything else exit).
 *   - Between commands MQAdminStartup's static command list is emptied (main0 appends the
 *     whole list on every call) and the NameServer address property restored (main0 sets
 *     it from -n and a later command without -n must not see it).
 *   - Each admin command ends with DefaultMQAdminExt.shutdown, whose NettyRemotingClient
 *     stops its NettyEventExecutor and joins it, and that thread only looks at its stop
 *     flag between 3 s polls of its event queue: most commands would take 3 s more. While
 *     a command is inside a ServiceThread.shutdown, the NettyEventExecutor threads are
 *     interrupted, which ends the poll at once (a running one that is not stopping logs
 *     the interruption and polls again).
 * It polls DIR every 10 ms and exits by itself when PARENT_PID (the test script) is gone.
 * The working directory is the test's work directory: consumerStatus writes files there.
 */
package org.rocketmqc.interop;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Options;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.srvutil.ServerUtil;
import org.apache.rocketmq.tools.command.MQAdminStartup;
import org.apache.rocketmq.tools.command.SubCommand;
import org.apache.rocketmq.tools.command.offset.GetConsumerStatusCommand;

public final class AdminRun {
    private static final String EXTRA_GET_CONSUMER_STATUS = "getConsumerStatus";

    /* The request being served, for the shutdown hook; null between requests. */
    private static volatile Request current;

    private AdminRun() {
    }

    public static void main(String[] args) {
        if (args.length == 3 && "--serve".equals(args[0])) {
            serve(new File(args[1]), args[2]);
            return;
        }
        int status = 0;
        try {
            if (EXTRA_GET_CONSUMER_STATUS.equals(System.getenv("RMQ_ADMIN_EXTRA"))) {
                MQAdminStartup.initCommand(new GetConsumerStatusCommand());
            }
            MQAdminStartup.main(args);
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }

    /* MQAdminStartup's protected static command list. */
    private static final class Commands extends MQAdminStartup {
        static List<SubCommand> list() {
            return SUB_COMMANDS;
        }
    }

    private static final class Request {
        final File dir;
        final String id;
        final PrintStream out;

        Request(File dir, String id) throws IOException {
            this.dir = dir;
            this.id = id;
            this.out = new PrintStream(new FileOutputStream(new File(dir, "out." + id)), true);
        }

        /* Publishes the exit status (or "delegate"): written aside, then renamed. */
        void answer(String rc) {
            out.flush();
            out.close();
            File tmp = new File(dir, "rctmp." + id);
            try {
                Files.write(tmp.toPath(), (rc + "\n").getBytes(StandardCharsets.US_ASCII));
                Files.move(tmp.toPath(), new File(dir, "rc." + id).toPath(), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                e.printStackTrace();
            }
        }
    }

    private static void serve(File dir, String parentPid) {
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        String initialNamesrv = System.getProperty(MixAll.NAMESRV_ADDR_PROPERTY);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Request r = current;
            if (r != null) {
                r.out.println("AdminRun: the JVM exited during this command");
                r.answer("1");
            }
        }));
        startShutdownHelper(Thread.currentThread());
        File parent = new File("/proc/" + parentPid);
        realOut.println("AdminRun: serving " + dir);
        while (parent.exists() && dir.isDirectory()) {
            String[] names = dir.list((d, n) -> n.startsWith("req."));
            if (names == null || names.length == 0) {
                sleep(10);
                continue;
            }
            Arrays.sort(names);
            for (String name : names) {
                File f = new File(dir, name);
                String id = name.substring(4);
                List<String> fields;
                try {
                    fields = splitNul(Files.readAllBytes(f.toPath()));
                    Files.delete(f.toPath());
                } catch (IOException e) {
                    e.printStackTrace();
                    continue;
                }
                Request r;
                try {
                    r = new Request(dir, id);
                } catch (IOException e) {
                    e.printStackTrace();
                    continue;
                }
                restoreProperty(MixAll.NAMESRV_ADDR_PROPERTY, initialNamesrv);
                current = r;
                System.setOut(r.out);
                System.setErr(r.out);
                String rc;
                try {
                    rc = run(fields);
                } catch (Throwable t) {
                    t.printStackTrace();
                    rc = "1";
                } finally {
                    System.setOut(realOut);
                    System.setErr(realErr);
                }
                current = null;
                r.answer(rc);
            }
        }
        Runtime.getRuntime().halt(0);
    }

    /* See the header: ends the 3 s wait of a NettyEventExecutor that a command shuts down. */
    private static void startShutdownHelper(Thread worker) {
        Thread t = new Thread(() -> {
            while (true) {
                if (current != null && inServiceThreadShutdown(worker)) {
                    for (Thread th : Thread.getAllStackTraces().keySet()) {
                        if ("NettyEventExecutor".equals(th.getName())
                            && th.getState() == Thread.State.TIMED_WAITING) {
                            th.interrupt();
                        }
                    }
                }
                sleep(20);
            }
        }, "AdminRun-shutdown-helper");
        t.setDaemon(true);
        t.start();
    }

    private static boolean inServiceThreadShutdown(Thread worker) {
        for (StackTraceElement e : worker.getStackTrace()) {
            if ("shutdown".equals(e.getMethodName()) && e.getClassName().endsWith(".ServiceThread")) {
                return true;
            }
        }
        return false;
    }

    /* Runs one request; returns its exit status or "delegate". */
    private static String run(List<String> fields) {
        if (fields.size() < 2) {
            System.out.println("AdminRun: malformed request");
            return "1";
        }
        String kind = fields.get(0);
        String extra = fields.get(1);
        String[] args = fields.subList(2, fields.size()).toArray(new String[0]);
        if ("probe".equals(kind)) {
            return Integer.toString(NsProbe.probe(args));
        }
        if (!"admin".equals(kind)) {
            System.out.println("AdminRun: unknown request kind " + kind);
            return "1";
        }
        if (wouldExit(args)) {
            return "delegate";
        }
        List<SubCommand> cmds = Commands.list();
        cmds.clear();
        if (EXTRA_GET_CONSUMER_STATUS.equals(extra)) {
            MQAdminStartup.initCommand(new GetConsumerStatusCommand());
        }
        MQAdminStartup.main0(args, null);
        cmds.clear();
        return "0";
    }

    /*
     * Would MQAdminStartup.main0 end in ServerUtil.parseCmdLine's System.exit (an option it
     * cannot parse, a missing required one, or -h)? Follows main0's dispatch: no
     * arguments and "help X" print help; an unknown command prints a line; anything else
     * parses its options as parseCmdLine does.
     */
    private static boolean wouldExit(String[] args) {
        if (args.length == 0 || args.length == 2 && "help".equals(args[0])) {
            return false;
        }
        List<SubCommand> cmds = Commands.list();
        cmds.clear();
        MQAdminStartup.initCommand();
        SubCommand cmd = null;
        for (SubCommand c : cmds) {
            if (c.commandName().equalsIgnoreCase(args[0])
                || c.commandAlias() != null && c.commandAlias().equalsIgnoreCase(args[0])) {
                cmd = c;
                break;
            }
        }
        cmds.clear();
        if (cmd == null) {
            return false;
        }
        try {
            Options options = cmd.buildCommandlineOptions(ServerUtil.buildCommandlineOptions(new Options()));
            CommandLine line = new DefaultParser().parse(options, Arrays.copyOfRange(args, 1, args.length));
            return line.hasOption('h');
        } catch (Exception e) {
            return true;
        }
    }

    private static List<String> splitNul(byte[] data) {
        List<String> fields = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == 0) {
                fields.add(new String(data, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return fields;
    }

    private static void restoreProperty(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
