/*
 * LoopbackHAService: Apache's DefaultHAService with its listening socket bound to
 * 127.0.0.1 instead of the wildcard address.
 *
 * The Apache broker binds its remoting ports to NettyServerConfig.bindAddress, but its HA
 * (replication) listener always binds every interface and has no option to change that.
 * The interop harness promises that everything it starts listens on loopback only, so the
 * broker loads this class instead: Apache's ServiceProvider looks up
 * META-INF/service/org.apache.rocketmq.store.ha.HAService on the class path (our jar
 * ships that file). Everything else about HA is unchanged.
 */
package org.rocketmqc.interop;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;

import org.apache.rocketmq.store.DefaultMessageStore;
import org.apache.rocketmq.store.ha.DefaultHAService;

public class LoopbackHAService extends DefaultHAService {
    @Override
    public void init(final DefaultMessageStore store) throws IOException {
        super.init(store);
        int port = store.getMessageStoreConfig().getHaListenPort();
        String host = System.getProperty("rmqc.ha.bindAddress", "127.0.0.1");
        try {
            /* The field is private to Apache's accept service; it is read only when the
             * socket is bound, in start(), so replacing it here is early enough. */
            Field f = findField(acceptSocketService.getClass(), "socketAddressListen");
            f.setAccessible(true);
            f.set(acceptSocketService, new InetSocketAddress(host, port));
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot bind the HA listener to " + host, e);
        }
    }

    private static Field findField(Class<?> c, String name) throws NoSuchFieldException {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            try {
                return k.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                /* keep looking in the superclass */
            }
        }
        throw new NoSuchFieldException(name);
    }
}
