/*
 * ClientConsumerShare: an official Java DefaultMQPushConsumer (5.3.3) in a group that our
 * C push consumer also joins; it records what it consumes so the test can check that the
 * two members shared the queues and together consumed every message.
 *
 *   java ... org.rocketmqc.interop.ClientConsumerShare NAMESRV_ADDR TOPIC GROUP OUT_FILE STOP_FILE SECONDS
 *
 * Subscribes GROUP to TOPIC ("*", from the first offset) and appends "rid TAB queueId"
 * to OUT_FILE for each message with a "rid" property the first time it sees that rid.
 * Prints "ClientConsumerShare: started" once started and "ClientConsumerShare: queues=
 * N" whenever the number of TOPIC's queues it was allocated changes; exits 0 when STOP_FILE
 * exists (after a clean shutdown) or after SECONDS.
 */
package org.rocketmqc.interop;

import java.io.FileWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

public final class ClientConsumerShare {
    private ClientConsumerShare() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: ClientConsumerShare NAMESRV TOPIC GROUP OUT STOP SECONDS");
            System.exit(2);
        }
        final PrintWriter out = new PrintWriter(new FileWriter(args[3], true), true);
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        long until = System.currentTimeMillis() + Long.parseLong(args[5]) * 1000L;
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(args[2]);
        consumer.setNamesrvAddr(args[0]);
        consumer.setInstanceName("rmqc_share_" + System.nanoTime());
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.subscribe(args[1], "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            for (MessageExt m : msgs) {
                String rid = m.getUserProperty("rid");
                if (rid != null && seen.add(rid)) {
                    synchronized (out) {
                        out.println(rid + "\t" + m.getQueueId());
                    }
                }
            }
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        System.out.println("ClientConsumerShare: started");
        System.out.flush();
        int last = -1;
        while (System.currentTimeMillis() < until && !Files.exists(Paths.get(args[4]))) {
            Thread.sleep(100);
            int n = 0;
            for (MessageQueue mq : consumer.getDefaultMQPushConsumerImpl().getRebalanceImpl()
                .getProcessQueueTable().keySet()) {
                if (mq.getTopic().equals(args[1])) {
                    n++;
                }
            }
            if (n != last) {
                last = n;
                System.out.println("ClientConsumerShare: queues=" + n);
                System.out.flush();
            }
        }
        consumer.shutdown();
        out.close();
        Runtime.getRuntime().halt(0);
    }
}
