/*
 * SyncFlushKill: the two client sides of the SYNC_FLUSH crash test, with the official Java
 * remoting client.
 *
 *   java ... org.rocketmqc.interop.SyncFlushKill produce NAMESRV_ADDR TOPIC ACK_FILE STOP_FILE THREADS [TIMEOUT_SEC]
 *   java ... org.rocketmqc.interop.SyncFlushKill consume NAMESRV_ADDR TOPIC ACK_FILE [TIMEOUT_SEC]
 *
 * produce: checks that the broker runs with flushDiskType=SYNC_FLUSH (GET_BROKER_CONFIG),
 * then THREADS threads send numbered messages synchronously (no retries) as fast as they
 * can, so that many sends wait in the broker's group commit at any time. Every message
 * whose send returned SEND_OK is recorded; "SyncFlushKill: acked=N" is printed every
 * 100 ms for the script, which kills the broker mid-load. Once STOP_FILE exists the
 * threads stop, ACK_FILE gets the acknowledged numbers (one per line) and a summary line
 * is printed.
 *
 * consume: a push consumer in a fresh group reads the topic from the first offset and
 * must receive every number of ACK_FILE; once it has, and its offsets reached the
 * queues' max offsets, it reports how many messages that were sent but never acknowledged
 * are there too (allowed either way) and the duplicates.
 *
 * Prints one summary line starting with "SyncFlushKill:"; exits 0 on success, 1 on
 * failure or when TIMEOUT_SEC (default 120) elapses, 2 on bad arguments.
 */
package org.rocketmqc.interop;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.impl.factory.MQClientInstance;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;

public final class SyncFlushKill {
    private static final String BODY_PREFIX = "rocketmq-c sync flush message #";
    /* Bodies padded to this size, so the commit log grows by real amounts per flush. */
    private static final int BODY_SIZE = 512;

    private SyncFlushKill() {
    }

    public static void main(String[] args) {
        try {
            if (args.length >= 6 && args.length <= 7 && args[0].equals("produce")) {
                int timeout = args.length > 6 ? Integer.parseInt(args[6]) : 120;
                Harness.startWatchdogLine(timeout, () -> "SyncFlushKill: result=FAIL(timeout)");
                produce(args[1], args[2], args[3], new File(args[4]), Integer.parseInt(args[5]));
            } else if (args.length >= 4 && args.length <= 5 && args[0].equals("consume")) {
                int timeout = args.length > 4 ? Integer.parseInt(args[4]) : 120;
                Harness.startWatchdogLine(timeout, () -> "SyncFlushKill: result=FAIL(timeout)");
                consume(args[1], args[2], args[3]);
            } else {
                System.err.println("usage: SyncFlushKill produce NAMESRV TOPIC ACK_FILE STOP_FILE THREADS [TIMEOUT_SEC]\n"
                    + "       SyncFlushKill consume NAMESRV TOPIC ACK_FILE [TIMEOUT_SEC]");
                System.exit(2);
            }
        } catch (Throwable t) {
            Harness.dieOf("SyncFlushKill", t);
        }
    }

    private static byte[] body(int i) {
        byte[] b = new byte[BODY_SIZE];
        Arrays.fill(b, (byte) '.');
        byte[] head = (BODY_PREFIX + i + " ").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, b, 0, head.length);
        return b;
    }

    /* The message number of a body, or -1. */
    private static int indexOf(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        if (!s.startsWith(BODY_PREFIX)) {
            return -1;
        }
        int end = s.indexOf(' ', BODY_PREFIX.length());
        try {
            return Integer.parseInt(s.substring(BODY_PREFIX.length(), end));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------ produce

    private static void produce(String namesrv, String topic, String ackFile, File stopFile, int threads)
        throws Exception {
        String run = Long.toString(System.currentTimeMillis(), 36);
        DefaultMQProducer producer = new DefaultMQProducer("rmqc_syncflush_producer_" + run);
        producer.setNamesrvAddr(namesrv);
        producer.setInstanceName("syncflush-producer-" + run);
        producer.setSendMsgTimeout(5000);
        producer.setRetryTimesWhenSendFailed(0);
        producer.start();

        final AtomicInteger next = new AtomicInteger();
        final ConcurrentLinkedQueue<Integer> acked = new ConcurrentLinkedQueue<>();
        final AtomicInteger ackCount = new AtomicInteger();
        final AtomicInteger notOk = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicBoolean stop = new AtomicBoolean();

        /* The first send creates the topic; then the broker must say SYNC_FLUSH. */
        int first = next.getAndIncrement();
        SendResult r0 = producer.send(new Message(topic, "TagS", body(first)));
        if (r0.getSendStatus() != SendStatus.SEND_OK) {
            throw new IllegalStateException("first send: " + r0.getSendStatus());
        }
        acked.add(first);
        ackCount.incrementAndGet();
        MQClientInstance factory = producer.getDefaultMQProducerImpl().getMqClientFactory();
        String addr = factory.findBrokerAddressInPublish(r0.getMessageQueue().getBrokerName());
        Properties conf = factory.getMQClientAPIImpl().getBrokerConfig(addr, 5000);
        if (!"SYNC_FLUSH".equals(conf.getProperty("flushDiskType"))) {
            throw new IllegalStateException("broker flushDiskType=" + conf.getProperty("flushDiskType"));
        }

        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                while (!stop.get()) {
                    int i = next.getAndIncrement();
                    try {
                        SendResult r = producer.send(new Message(topic, "TagS", body(i)));
                        if (r.getSendStatus() == SendStatus.SEND_OK) {
                            acked.add(i);
                            ackCount.incrementAndGet();
                        } else {
                            notOk.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        try {
                            Thread.sleep(20); /* the broker is gone: do not spin */
                        } catch (InterruptedException ie) {
                            return;
                        }
                    }
                }
            }, "rmqc-sender-" + t);
            th.start();
            senders.add(th);
        }
        while (!stopFile.exists()) {
            System.out.println("SyncFlushKill: acked=" + ackCount.get());
            System.out.flush();
            Thread.sleep(100);
        }
        stop.set(true);
        for (Thread th : senders) {
            th.join(15000);
            if (th.isAlive()) {
                throw new IllegalStateException(th.getName() + " still sending 15 s after the stop");
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i : acked) {
            sb.append(i).append('\n');
        }
        Files.write(new File(ackFile).toPath(), sb.toString().getBytes(StandardCharsets.US_ASCII));
        System.out.printf("SyncFlushKill: result=PASS produced sent=%d acked=%d not_ok=%d failed=%d%n",
            next.get(), acked.size(), notOk.get(), failed.get());
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    // ------------------------------------------------------------------ consume

    private static void consume(String namesrv, String topic, String ackFile) throws Exception {
        final List<Integer> acked = new ArrayList<>();
        for (String line : Files.readAllLines(new File(ackFile).toPath())) {
            if (!line.isEmpty()) {
                acked.add(Integer.parseInt(line.trim()));
            }
        }
        final Map<Integer, AtomicInteger> got = new ConcurrentHashMap<>();
        String run = Long.toString(System.currentTimeMillis(), 36);
        DefaultMQPushConsumer c = Harness.pushConsumer(namesrv, "rmqc_syncflush_" + run,
            "syncflush-consumer-" + run, topic);
        c.setConsumeMessageBatchMaxSize(32);
        c.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            for (MessageExt m : msgs) {
                int i = indexOf(m.getBody());
                if (i >= 0) {
                    got.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
                }
            }
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        c.start();
        long deadline = System.currentTimeMillis() + 60000;
        while (missing(acked, got) > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        int missing = missing(acked, got);
        if (missing == 0) {
            Harness.waitFor("SyncFlushKill", "offsets at the max offsets", 30000, () -> Harness.settled(c, topic));
        }
        /* No c.shutdown(): the client's can idle for 3 s; halt() ends it. */
        int dups = 0;
        for (AtomicInteger n : got.values()) {
            dups += n.get() - 1;
        }
        int unackedPresent = got.size() - (acked.size() - missing);
        StringBuilder some = new StringBuilder();
        for (int i : acked) {
            if (!got.containsKey(i) && some.length() < 200) {
                some.append(' ').append(i);
            }
        }
        System.out.printf("SyncFlushKill: result=%s consumed acked=%d received_distinct=%d acked_missing=%d "
            + "unacked_present=%d duplicates=%d%s%n", missing == 0 ? "PASS" : "FAIL", acked.size(), got.size(),
            missing, unackedPresent, dups, missing > 0 ? " missing:" + some : "");
        System.out.flush();
        Runtime.getRuntime().halt(missing == 0 ? 0 : 1);
    }

    private static int missing(List<Integer> acked, Map<Integer, AtomicInteger> got) {
        int n = 0;
        for (int i : acked) {
            if (!got.containsKey(i)) {
                n++;
            }
        }
        return n;
    }
}
