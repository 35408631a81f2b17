import java.net.InetSocketAddress;
import org.littleshoot.proxy.impl.DefaultHttpProxyServer;

/**
 * Plain LittleProxy with its defaults and no filters: the floor patchgate's pass-through path is
 * measured against. Run with the shaded jar on the class path (it carries LittleProxy, Netty and
 * the WARN-level logback.xml):
 *   java -cp proxy/target/patchgate.jar bench/BareLittleProxy.java PORT
 */
public class BareLittleProxy {
  public static void main(String[] args) throws InterruptedException {
    int port = Integer.parseInt(args[0]);
    DefaultHttpProxyServer.bootstrap().withAddress(new InetSocketAddress("127.0.0.1", port)).start();
    System.out.println("bare LittleProxy listening on 127.0.0.1:" + port);
    Thread.currentThread().join();
  }
}
