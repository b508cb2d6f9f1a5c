/*
 * NsProbe: small, fast NameServer queries for the interop shell harness, sent with
 * Apache's own remoting client (NettyRemotingClient, requests built by RemotingCommand
 * with the current version ordinal, like every Java client).
 *
 *   NsProbe ADDRS wait-broker BROKER_NAME TIMEOUT_MS     GET_BROKER_CLUSTER_INFO until the
 *                                                        broker name has an address
 *   NsProbe ADDRS wait-no-broker BROKER_NAME TIMEOUT_MS  ... until it is gone
 *   NsProbe ADDRS wait-route TOPIC TIMEOUT_MS            GET_ROUTEINFO_BY_TOPIC until the topic
 *                                                        has queue data
 *   NsProbe ADDRS wait-no-route-broker TOPIC BROKER_NAME TIMEOUT_MS
 *                                                        ... until the route no longer names the
 *                                                        broker (or the topic is gone)
 *   NsProbe ADDR kv-get NAMESPACE KEY                    GET_KV_CONFIG, prints the outcome
 *   NsProbe ADDR kv-list NAMESPACE                       GET_KVLIST_BY_NAMESPACE, sorted
 *
 * ADDRS is one "host:port" or several separated by ';' (a wait needs every one of them).
 * Waits poll every 100 ms and print "NsProbe: <what> after <ms> ms"; exit 0 when the
 * condition holds, 1 on time-out. kv-get/kv-list print the response code, the remark
 * and the value(s), always exit 0 when a response arrived, 1 on a transport error.
 * The JVM is halted at the end, so no client thread can keep it alive. AdminRun's shared
 * JVM (--serve) calls probe() instead, which returns the status and keeps its client.
 */
package org.rocketmqc.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyRemotingClient;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RequestCode;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.body.KVTable;
import org.apache.rocketmq.remoting.protocol.header.namesrv.GetKVConfigRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.GetKVConfigResponseHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.GetKVListByNamespaceRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.GetRouteInfoRequestHeader;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;

public final class NsProbe {
    private static final long CALL_TIMEOUT_MS = 3000;

    private final NettyRemotingClient client;

    private NsProbe() {
        client = new NettyRemotingClient(new NettyClientConfig());
        client.start();
    }

    public static void main(String[] args) {
        System.setProperty(RemotingCommand.REMOTING_VERSION_KEY, Integer.toString(MQVersion.CURRENT_VERSION));
        int status;
        try {
            status = new NsProbe().run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }

    /* Reused by probe(): closing a remoting client takes seconds (Netty's graceful shutdown). */
    private static NsProbe shared;

    /* One probe inside a longer-lived JVM (AdminRun --serve): the exit status is returned. */
    static synchronized int probe(String[] args) {
        System.setProperty(RemotingCommand.REMOTING_VERSION_KEY, Integer.toString(MQVersion.CURRENT_VERSION));
        if (shared == null) {
            shared = new NsProbe();
        }
        try {
            return shared.run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            return 1;
        }
    }

    private interface Check {
        boolean holds(String addr) throws Exception;
    }

    private int run(String[] a) throws Exception {
        if (a.length < 3) {
            return usage();
        }
        String[] addrs = a[0].split(";");
        switch (a[1]) {
            case "wait-broker":
                return a.length == 4 ? waitFor("broker " + a[2] + " registered", addrs, Long.parseLong(a[3]),
                    addr -> hasBroker(addr, a[2])) : usage();
            case "wait-no-broker":
                return a.length == 4 ? waitFor("broker " + a[2] + " gone", addrs, Long.parseLong(a[3]),
                    addr -> !hasBroker(addr, a[2])) : usage();
            case "wait-route":
                return a.length == 4 ? waitFor("route of " + a[2], addrs, Long.parseLong(a[3]),
                    addr -> {
                        TopicRouteData r = route(addr, a[2]);
                        return r != null && r.getQueueDatas() != null && !r.getQueueDatas().isEmpty();
                    }) : usage();
            case "wait-no-route-broker":
                return a.length == 5 ? waitFor("broker " + a[3] + " gone from route of " + a[2], addrs,
                    Long.parseLong(a[4]), addr -> {
                        TopicRouteData r = route(addr, a[2]);
                        if (r == null || r.getBrokerDatas() == null) {
                            return true;
                        }
                        for (BrokerData bd : r.getBrokerDatas()) {
                            if (a[3].equals(bd.getBrokerName())) {
                                return false;
                            }
                        }
                        return true;
                    }) : usage();
            case "kv-get":
                return a.length == 4 ? kvGet(addrs[0], a[2], a[3]) : usage();
            case "kv-list":
                return a.length == 3 ? kvList(addrs[0], a[2]) : usage();
            default:
                return usage();
        }
    }

    private static int usage() {
        System.err.println("usage: NsProbe ADDRS (wait-broker NAME MS | wait-no-broker NAME MS | wait-route TOPIC MS"
            + " | wait-no-route-broker TOPIC NAME MS | kv-get NAMESPACE KEY | kv-list NAMESPACE)");
        return 2;
    }

    private int waitFor(String what, String[] addrs, long timeoutMs, Check check) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeoutMs * 1_000_000L;
        List<String> pending = new ArrayList<>(List.of(addrs));
        String lastError = "";
        while (true) {
            for (int i = pending.size() - 1; i >= 0; i--) {
                try {
                    if (check.holds(pending.get(i))) {
                        pending.remove(i);
                    }
                } catch (Exception e) {
                    lastError = " (last error: " + e + ")";
                }
            }
            long ms = (System.nanoTime() - start) / 1_000_000L;
            if (pending.isEmpty()) {
                System.out.printf("NsProbe: %s after %d ms%n", what, ms);
                return 0;
            }
            if (System.nanoTime() > deadline) {
                System.out.printf("NsProbe: TIMEOUT waiting for %s on %s after %d ms%s%n", what, pending, ms,
                    lastError);
                return 1;
            }
            Thread.sleep(100);
        }
    }

    private RemotingCommand call(String addr, RemotingCommand req) throws Exception {
        return client.invokeSync(addr, req, CALL_TIMEOUT_MS);
    }

    private boolean hasBroker(String addr, String brokerName) throws Exception {
        RemotingCommand resp = call(addr, RemotingCommand.createRequestCommand(RequestCode.GET_BROKER_CLUSTER_INFO, null));
        if (resp.getCode() != ResponseCode.SUCCESS || resp.getBody() == null) {
            return false;
        }
        ClusterInfo ci = ClusterInfo.decode(resp.getBody(), ClusterInfo.class);
        if (ci.getBrokerAddrTable() == null) {
            return false;
        }
        BrokerData bd = ci.getBrokerAddrTable().get(brokerName);
        return bd != null && bd.getBrokerAddrs() != null && !bd.getBrokerAddrs().isEmpty();
    }

    private TopicRouteData route(String addr, String topic) throws Exception {
        GetRouteInfoRequestHeader h = new GetRouteInfoRequestHeader();
        h.setTopic(topic);
        RemotingCommand resp = call(addr, RemotingCommand.createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, h));
        if (resp.getCode() != ResponseCode.SUCCESS || resp.getBody() == null) {
            return null;
        }
        return TopicRouteData.decode(resp.getBody(), TopicRouteData.class);
    }

    private int kvGet(String addr, String namespace, String key) throws Exception {
        GetKVConfigRequestHeader h = new GetKVConfigRequestHeader();
        h.setNamespace(namespace);
        h.setKey(key);
        RemotingCommand resp = call(addr, RemotingCommand.createRequestCommand(RequestCode.GET_KV_CONFIG, h));
        String value = null;
        if (resp.getCode() == ResponseCode.SUCCESS) {
            GetKVConfigResponseHeader rh =
                (GetKVConfigResponseHeader) resp.decodeCommandCustomHeader(GetKVConfigResponseHeader.class);
            value = rh.getValue();
        }
        System.out.printf("kv-get %s %s: code=%d remark=%s value=%s%n", namespace, key, resp.getCode(),
            resp.getRemark(), value);
        return 0;
    }

    private int kvList(String addr, String namespace) throws Exception {
        GetKVListByNamespaceRequestHeader h = new GetKVListByNamespaceRequestHeader();
        h.setNamespace(namespace);
        RemotingCommand resp = call(addr, RemotingCommand.createRequestCommand(RequestCode.GET_KVLIST_BY_NAMESPACE, h));
        System.out.printf("kv-list %s: code=%d remark=%s%n", namespace, resp.getCode(), resp.getRemark());
        if (resp.getCode() == ResponseCode.SUCCESS && resp.getBody() != null) {
            KVTable t = KVTable.decode(resp.getBody(), KVTable.class);
            for (Map.Entry<String, String> e : new TreeMap<>(t.getTable()).entrySet()) {
                System.out.printf("  %s=%s%n", e.getKey(), e.getValue());
            }
        }
        return 0;
    }
}
