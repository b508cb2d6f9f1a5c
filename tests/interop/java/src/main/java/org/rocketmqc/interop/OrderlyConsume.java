/*
 * OrderlyConsume: ordered consumption through the broker's queue locks (LOCK_BATCH_MQ /
 * UNLOCK_BATCH_MQ) with the official Java remoting client.
 *
 *   java ... org.rocketmqc.interop.OrderlyConsume NAMESRV_ADDR TOPIC COUNT [TIMEOUT_SEC]
 *
 * A DefaultMQProducer sends COUNT messages synchronously, message i to queue i % n through
 * a MessageQueueSelector, and notes the order of each queue from the send results. A
 * DefaultMQPushConsumer with a MessageListenerOrderly (which consumes a queue only while
 * the broker grants it the queue's lock) must then consume every queue's messages exactly
 * in that order. The third message of each queue is answered SUSPEND_CURRENT_QUEUE_A_MOMENT
 * once, so the client redelivers it locally before anything after it. At the end the
 * consumer shuts down, which unlocks its queues, and a second client id must be able to
 * lock them at once (the lock answer is checked through the client's lock call).
 *
 * Prints one summary line starting with "OrderlyConsume:"; exits 0 on success, 1 on
 * failure or when TIMEOUT_SEC (default 120) elapses, 2 on bad arguments.
 */
package org.rocketmqc.interop;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.body.LockBatchRequestBody;

public final class OrderlyConsume {
    private static final String BODY_PREFIX = "rocketmq-c orderly message #";

    private OrderlyConsume() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            Harness.dieOf("OrderlyConsume", t);
        }
    }

    private static void run(String[] args) throws Exception {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: OrderlyConsume NAMESRV_ADDR TOPIC COUNT [TIMEOUT_SEC]");
            System.exit(2);
        }
        final String namesrv = args[0];
        final String topic = args[1];
        final int count = Integer.parseInt(args[2]);
        final int timeoutSec = args.length > 3 ? Integer.parseInt(args[3]) : 120;
        final String run = Long.toString(System.currentTimeMillis(), 36);
        final String group = "rmqc_orderly_" + run;

        final Map<Integer, List<Integer>> expected = new HashMap<>();
        final Map<Integer, List<Integer>> got = new ConcurrentHashMap<>();
        final Set<Integer> suspended = ConcurrentHashMap.newKeySet();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger suspends = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(count);
        Harness.startWatchdog(timeoutSec, () -> summary("FAIL(timeout)", count, expected, got, suspends.get(),
            errors.get()));

        DefaultMQProducer producer = Harness.startProducer(namesrv, "rmqc_orderly_producer_" + run,
            "rmqc_orderly_" + run);
        for (int i = 0; i < count; i++) {
            Message msg = new Message(topic, "TagO", "okey-" + run + "-" + i,
                (BODY_PREFIX + i + " run " + run).getBytes(StandardCharsets.UTF_8));
            SendResult r = producer.send(msg, (mqs, m, arg) -> mqs.get((Integer) arg % mqs.size()), i);
            if (r.getSendStatus() != SendStatus.SEND_OK) {
                throw new IllegalStateException("send " + i + ": " + r.getSendStatus());
            }
            expected.computeIfAbsent(r.getMessageQueue().getQueueId(), k -> new ArrayList<>()).add(i);
        }
        producer.shutdown();

        DefaultMQPushConsumer consumer = Harness.pushConsumer(namesrv, group, "rmqc_orderly_" + run, topic);
        consumer.setSuspendCurrentQueueTimeMillis(200);
        consumer.registerMessageListener((MessageListenerOrderly) (msgs, ctx) -> {
            for (MessageExt m : msgs) {
                int i = indexOf(m, run);
                if (i < 0 || i >= count) {
                    continue;
                }
                int q = m.getQueueId();
                List<Integer> want = expected.get(q);
                List<Integer> have = got.computeIfAbsent(q, k -> new ArrayList<>());
                synchronized (have) {
                    /* Exactly the next one of this queue (a suspended message comes again). */
                    if (want == null || have.size() >= want.size() || want.get(have.size()) != i) {
                        errors.incrementAndGet();
                        System.err.println("queue " + q + ": got " + i + " after " + have.size()
                            + " messages, expected " + (want == null || have.size() >= want.size()
                            ? "nothing" : want.get(have.size())));
                        continue;
                    }
                    if (have.size() == 2 && suspended.add(q)) {
                        suspends.incrementAndGet();
                        return ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT;
                    }
                    have.add(i);
                }
                done.countDown();
            }
            return ConsumeOrderlyStatus.SUCCESS;
        });
        consumer.start();
        done.await();
        boolean ok = errors.get() == 0 && suspends.get() == expected.size();
        String clientId = consumer.getDefaultMQPushConsumerImpl().getmQClientFactory().getClientId();
        String brokerAddr = null;
        Set<MessageQueue> mqs = new HashSet<>();
        for (MessageQueue mq : consumer.fetchSubscribeMessageQueues(topic)) {
            mqs.add(mq);
            brokerAddr = consumer.getDefaultMQPushConsumerImpl().getmQClientFactory()
                .findBrokerAddressInPublish(mq.getBrokerName());
        }
        consumer.shutdown();

        /* Unlocked at shutdown: another client gets every queue at once. */
        DefaultMQProducer other = new DefaultMQProducer("rmqc_orderly_other_" + run);
        other.setNamesrvAddr(namesrv);
        other.setInstanceName("rmqc_orderly_other_" + run);
        other.start();
        LockBatchRequestBody body = new LockBatchRequestBody();
        body.setConsumerGroup(group);
        body.setClientId("rmqc-other-client");
        body.setMqSet(mqs);
        Set<MessageQueue> locked = other.getDefaultMQProducerImpl().getMqClientFactory().getMQClientAPIImpl()
            .lockBatchMQ(brokerAddr, body, 5000);
        other.shutdown();
        if (!locked.equals(mqs)) {
            ok = false;
            System.out.println("OrderlyConsume: after shutdown locked " + locked + " of " + mqs
                + " (client " + clientId + ")");
        }
        summary(ok ? "PASS" : "FAIL", count, expected, got, suspends.get(), errors.get());
        System.out.flush();
        Runtime.getRuntime().halt(ok ? 0 : 1);
    }

    private static int indexOf(MessageExt m, String run) {
        String body = new String(m.getBody(), StandardCharsets.UTF_8);
        if (!body.startsWith(BODY_PREFIX) || !body.endsWith(" run " + run)) {
            return -1;
        }
        try {
            return Integer.parseInt(body.substring(BODY_PREFIX.length(), body.length() - run.length() - 5));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void summary(String result, int count, Map<Integer, List<Integer>> expected,
        Map<Integer, List<Integer>> got, int suspends, int errors) {
        int consumed = 0;
        for (List<Integer> l : got.values()) {
            consumed += l.size();
        }
        System.out.printf("OrderlyConsume: result=%s count=%d queues=%d consumed_in_order=%d "
            + "suspends=%d order_errors=%d%n", result, count, expected.size(), consumed, suspends, errors);
        System.out.flush();
    }
}
