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
 */
package org.rocketmqc.interop;

import org.apache.rocketmq.tools.command.MQAdminStartup;
import org.apache.rocketmq.tools.command.offset.GetConsumerStatusCommand;

public final class AdminRun {
    private AdminRun() {
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            if ("getConsumerStatus".equals(System.getenv("RMQ_ADMIN_EXTRA"))) {
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
}
