/*
 * ProduceConsume: end-to-end check of one NameServer + broker pair with the official
 * Java remoting client.
 *
 *   java ... org.rocketmqc.interop.ProduceConsume NAMESRV_ADDR TOPIC COUNT [TIMEOUT_SEC [BROKERS]]
 *
 * A DefaultMQProducer (routes from the NameServer) sends COUNT messages synchronously,
 * each with a unique key and one of two tags. Then a DefaultMQPushConsumer in a fresh
 * group, starting from the first offset, subscribes to the topic and must receive every
 * body, with the key and tag it was sent with. Duplicates are allowed (at-least-once) and
 * counted. Producing before consuming lets a broker with autoCreateTopicEnable create the
 * topic and register it before the consumer asks the NameServer for the route.
 *
 * BROKERS (optional, comma-separated broker names) is for clusters of several brokers:
 * each named broker must have stored some of the messages (brokerName of the send
 * results) and delivered some of them (brokerName of the consumed queue), and no other
 * broker may appear. The summary then has one "broker=NAME sent=N received=M" line each.
 *
 * Prints one summary line starting with "ProduceConsume:" and exits 0 on success,
 * 1 on failure (a send failed or messages are missing when the time is up), 2 on bad
 * arguments. A watchdog halts the JVM when TIMEOUT_SEC (default 120) elapses, so the
 * program never hangs.
 */
package org.rocketmqc.interop;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;

public final class ProduceConsume {
    private static final String BODY_PREFIX = "rocketmq-c interop message #";

    private ProduceConsume() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            Harness.dieOf("ProduceConsume", t);
        }
    }

    private static void run(String[] args) throws Exception {
        if (args.length < 3 || args.length > 5) {
            System.err.println("usage: ProduceConsume NAMESRV_ADDR TOPIC COUNT [TIMEOUT_SEC [BROKERS]]");
            System.exit(2);
        }
        final String namesrv = args[0];
        final String topic = args[1];
        final int count = Integer.parseInt(args[2]);
        final int timeoutSec = args.length > 3 ? Integer.parseInt(args[3]) : 120;
        final List<String> brokers = args.length > 4 ? List.of(args[4].split(",")) : List.of();
        final Map<String, AtomicInteger> sentBy = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> receivedBy = new ConcurrentHashMap<>();
        final long start = System.nanoTime();
        final String run = Long.toString(System.currentTimeMillis(), 36);

        final AtomicIntegerArray seen = new AtomicIntegerArray(count);
        final AtomicInteger received = new AtomicInteger();
        final AtomicInteger duplicates = new AtomicInteger();
        final AtomicInteger mismatches = new AtomicInteger();
        final AtomicInteger sent = new AtomicInteger();
        final CountDownLatch allSeen = new CountDownLatch(count);

        Harness.startWatchdog(timeoutSec, () -> summary("FAIL(timeout)", count, sent.get(), received.get(),
            duplicates.get(), mismatches.get(), seen, start, -1));

        DefaultMQProducer producer = Harness.startProducer(namesrv, "rmqc_pc_producer_" + run,
            "rmqc_pc_" + run);
        int sendFailures = 0;
        for (int i = 0; i < count; i++) {
            Message msg = new Message(topic, tagOf(i), keyOf(run, i),
                (BODY_PREFIX + i + " run " + run).getBytes(StandardCharsets.UTF_8));
            SendResult r = producer.send(msg);
            if (r.getSendStatus() != SendStatus.SEND_OK) {
                sendFailures++;
                System.err.println("send " + i + " status " + r.getSendStatus());
            }
            sentBy.computeIfAbsent(r.getMessageQueue().getBrokerName(), b -> new AtomicInteger()).incrementAndGet();
            sent.incrementAndGet();
        }
        long sendMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        producer.shutdown();

        DefaultMQPushConsumer consumer = Harness.pushConsumer(namesrv, "rmqc_pc_consumer_" + run,
            "rmqc_pc_" + run, topic);
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            for (MessageExt m : msgs) {
                String body = new String(m.getBody(), StandardCharsets.UTF_8);
                int i = indexOf(body, run);
                if (i < 0 || i >= count) {
                    continue; /* left over from an earlier run on the same topic */
                }
                if (!keyOf(run, i).equals(m.getKeys()) || !tagOf(i).equals(m.getTags())) {
                    mismatches.incrementAndGet();
                    System.err.println("message " + i + " has keys=" + m.getKeys() + " tags=" + m.getTags());
                }
                received.incrementAndGet();
                receivedBy.computeIfAbsent(ctx.getMessageQueue().getBrokerName(), b -> new AtomicInteger())
                    .incrementAndGet();
                if (seen.getAndIncrement(i) == 0) {
                    allSeen.countDown();
                } else {
                    duplicates.incrementAndGet();
                }
            }
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();

        long left = TimeUnit.SECONDS.toNanos(timeoutSec) - (System.nanoTime() - start);
        boolean complete = allSeen.await(Math.max(left - TimeUnit.SECONDS.toNanos(2), 0), TimeUnit.NANOSECONDS);
        boolean ok = complete && sendFailures == 0 && mismatches.get() == 0
            && brokersOk(brokers, sentBy, receivedBy);
        summary(ok ? "PASS" : "FAIL", count, sent.get(), received.get(), duplicates.get(),
            mismatches.get(), seen, start, sendMs);
        consumer.shutdown();
        System.out.flush();
        Runtime.getRuntime().halt(ok ? 0 : 1);
    }

    /* Every expected broker sent and delivered some messages, and no other one did. */
    private static boolean brokersOk(List<String> brokers, Map<String, AtomicInteger> sentBy,
        Map<String, AtomicInteger> receivedBy) {
        if (brokers.isEmpty()) {
            return true;
        }
        boolean ok = true;
        TreeSet<String> names = new TreeSet<>(brokers);
        names.addAll(sentBy.keySet());
        names.addAll(receivedBy.keySet());
        for (String b : names) {
            int s = sentBy.containsKey(b) ? sentBy.get(b).get() : 0;
            int r = receivedBy.containsKey(b) ? receivedBy.get(b).get() : 0;
            boolean expected = brokers.contains(b);
            if (expected != (s > 0) || expected != (r > 0)) {
                ok = false;
            }
            System.out.printf("ProduceConsume: broker=%s sent=%d received=%d%s%n", b, s, r,
                expected ? "" : " (unexpected broker)");
        }
        return ok;
    }

    private static String tagOf(int i) {
        return (i % 2 == 0) ? "TagA" : "TagB";
    }

    private static String keyOf(String run, int i) {
        return "key-" + run + "-" + i;
    }

    private static int indexOf(String body, String run) {
        if (!body.startsWith(BODY_PREFIX) || !body.endsWith(" run " + run)) {
            return -1;
        }
        String n = body.substring(BODY_PREFIX.length(), body.length() - run.length() - 5);
        try {
            return Integer.parseInt(n);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void summary(String result, int count, int sent, int received, int duplicates,
        int mismatches, AtomicIntegerArray seen, long start, long sendMs) {
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (seen.get(i) == 0) {
                missing.add(i);
            }
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("ProduceConsume: result=%s count=%d sent=%d received=%d distinct=%d "
                + "duplicates=%d mismatches=%d missing=%d send_ms=%d total_ms=%d%n",
            result, count, sent, received, count - missing.size(), duplicates, mismatches,
            missing.size(), sendMs, ms);
        if (!missing.isEmpty()) {
            System.out.println("ProduceConsume: first missing: "
                + missing.subList(0, Math.min(20, missing.size())));
        }
        System.out.flush();
    }
}
