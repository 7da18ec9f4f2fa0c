package io.distkit.examples.snippets;

import io.distkit.hashing.LocatorConfig;
import io.distkit.hashing.Node;
import io.distkit.hashing.NodeLocator;
import java.util.List;

class HashingQuickStart {
  // your own node type: a stable id (and optionally a weight)
  record Server(String host, int port) implements Node {
    @Override
    public String nodeId() {
      return host + ":" + port;
    }
  }

  public static void main(String[] args) {
    List<Server> servers = List.of(
        new Server("cache-1", 6379), new Server("cache-2", 6379), new Server("cache-3", 6379));
    NodeLocator<Server> locator = LocatorConfig.maglev().locator(servers);

    Server owner = locator.locate("user:42");                 // String, byte[] or long keys
    List<Server> replicas = locator.locate("user:42", 2);     // 2 distinct servers, in preference order
    System.out.println("user:42 lives on " + owner.nodeId() + ", replicas " + replicas);

    // locators are immutable snapshots: a change makes a new one, and moves few keys
    NodeLocator<Server> grown = locator.withNode(new Server("cache-4", 6379));
    System.out.println("after adding cache-4: " + grown.locate("user:42").nodeId());
  }
}
