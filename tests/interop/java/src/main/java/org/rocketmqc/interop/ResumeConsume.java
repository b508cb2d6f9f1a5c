/*
 * ResumeConsume: a push consumer resumes at its group's committed offsets, with the
 * official Java remoting client.
 *
 *   java ... org.rocketmqc.interop.ResumeConsume NAMESRV_ADDR TOPIC GROUP PRE POST [TIMEOUT_SEC]
 *
 * If PRE > 0: a producer sends PRE messages, a DefaultMQPushConsumer in GROUP
 * (CONSUME_FROM_FIRST_OFFSET) consumes all of them and shuts down cleanly, which commits
 * its offsets to the broker. Then POST more messages are sent and a new push consumer
 * in the same GROUP, again with CONSUME_FROM_FIRST_OFFSET, must receive exactly those
 * POST messages: each once, and nothing sent before (by this run's first phase or by an
 * earlier run, e.g. before a broker restart); it starts from the committed offsets, not
 * from the first offset. "Nothing else" is checked once the consumer's offset of every
 * queue of the topic has reached the queue's max offset, so everything in the queues was
 * delivered. It shuts down cleanly too, leaving its offsets committed.
 *
 * Prints one summary line starting with "ResumeConsume:"; exits 0 on success, 1 on
 * failure or when TIMEOUT_SEC (default 120) elapses, 2 on bad arguments.
 */
package org.rocketmqc.interop;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;

public final class ResumeConsume {
    private static final String BODY_PREFIX = "rocketmq-c resume message ";

    private static String namesrv;
    private static String topic;
    private static String group;
    private static String run;

    private ResumeConsume() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            Harness.dieOf("ResumeConsume", t);
        }
    }

    private static void run(String[] args) throws Exception {
        if (args.length < 5 || args.length > 6) {
            System.err.println("usage: ResumeConsume NAMESRV_ADDR TOPIC GROUP PRE POST [TIMEOUT_SEC]");
            System.exit(2);
        }
        namesrv = args[0];
        topic = args[1];
        group = args[2];
        final int pre = Integer.parseInt(args[3]);
        final int post = Integer.parseInt(args[4]);
        final int timeoutSec = args.length > 5 ? Integer.parseInt(args[5]) : 120;
        run = Long.toString(System.currentTimeMillis(), 36);
        Harness.startWatchdogLine(timeoutSec, () -> "ResumeConsume: result=FAIL(timeout)");

        DefaultMQProducer producer = Harness.startProducer(namesrv, "rmqc_resume_producer_" + run,
            "resume-producer-" + run);

        /* Phase 1: consume PRE messages, stop cleanly. */
        if (pre > 0) {
            send(producer, "pre", pre);
            Map<String, AtomicInteger> got = new ConcurrentHashMap<>();
            AtomicInteger other = new AtomicInteger();
            DefaultMQPushConsumer c = consumer("pre", got, other);
            Harness.waitFor("ResumeConsume", "the first " + pre + " messages", 60000, () -> got.size() == pre);
            /* Their offsets are in the client's offset store before it commits them. */
            Harness.waitFor("ResumeConsume", "offsets at the max offsets", 30000, () -> Harness.settled(c, topic));
            c.shutdown();
        }

        /* Phase 2: POST more; the same group must get exactly those. */
        send(producer, "post", post);
        /* No producer.shutdown(): the client's shutdown can idle for 3 s; halt() ends it. */
        Map<String, AtomicInteger> got = new ConcurrentHashMap<>();
        AtomicInteger other = new AtomicInteger();
        DefaultMQPushConsumer c = consumer("post", got, other);
        Harness.waitFor("ResumeConsume", "the " + post + " new messages", 60000, () -> got.size() == post);
        Harness.waitFor("ResumeConsume", "offsets at the max offsets", 30000, () -> Harness.settled(c, topic));
        c.shutdown();

        int dups = 0;
        for (AtomicInteger n : got.values()) {
            dups += n.get() - 1;
        }
        int stale = other.get();
        boolean ok = stale == 0 && dups == 0 && got.size() == post;
        System.out.printf("ResumeConsume: result=%s pre=%d post=%d received_new=%d duplicates=%d "
            + "received_old=%d%n", ok ? "PASS" : "FAIL", pre, post, got.size(), dups, stale);
        System.out.flush();
        Runtime.getRuntime().halt(ok ? 0 : 1);
    }

    private static void send(DefaultMQProducer producer, String phase, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            Message msg = new Message(topic, "TagR", (BODY_PREFIX + run + " " + phase + " " + i)
                .getBytes(StandardCharsets.UTF_8));
            SendResult r = producer.send(msg);
            if (r.getSendStatus() != SendStatus.SEND_OK) {
                throw new IllegalStateException("send " + phase + " " + i + ": " + r.getSendStatus());
            }
        }
    }

    /* A started push consumer of GROUP: messages "<run> <phase> i" count into got, anything
     * else (earlier phases and runs) into other. */
    private static DefaultMQPushConsumer consumer(String phase, Map<String, AtomicInteger> got,
        AtomicInteger other) throws Exception {
        DefaultMQPushConsumer c = Harness.pushConsumer(namesrv, group, "resume-" + phase + "-" + run, topic);
        final String mine = BODY_PREFIX + run + " " + phase + " ";
        c.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            for (MessageExt m : msgs) {
                String body = new String(m.getBody(), StandardCharsets.UTF_8);
                if (body.startsWith(mine)) {
                    got.computeIfAbsent(body, k -> new AtomicInteger()).incrementAndGet();
                } else {
                    other.incrementAndGet();
                    System.err.println("unexpected: queue " + m.getQueueId() + " offset " + m.getQueueOffset()
                        + " '" + body + "'");
                }
            }
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        c.start();
        return c;
    }
}
