package dev.herald.hub.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class PipelineOrderTest {

    static FullHttpRequest request(String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri, Unpooled.buffer(0));
    }

    static DefaultFullHttpResponse response(HttpResponseStatus status) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
    }

    @Test
    void aSecondRequestWaitsUntilTheFirstIsAnsweredAndReadsPauseMeanwhile() {
        EmbeddedChannel ch = new EmbeddedChannel(new PipelineOrder());
        ch.writeInbound(request("/a"), request("/b"));
        assertThat(((FullHttpRequest) ch.readInbound()).uri()).isEqualTo("/a");
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.config().isAutoRead()).isFalse();

        ch.writeOutbound(response(HttpResponseStatus.OK));
        ch.runPendingTasks();
        assertThat(((FullHttpRequest) ch.readInbound()).uri()).isEqualTo("/b");

        ch.writeOutbound(response(HttpResponseStatus.OK));
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void anInformationalResponseDoesNotEndTheRequest() {
        EmbeddedChannel ch = new EmbeddedChannel(new PipelineOrder());
        ch.writeInbound(request("/a"), request("/b"));
        ch.readInbound();
        ch.writeOutbound(response(HttpResponseStatus.CONTINUE));
        ch.runPendingTasks();
        assertThat((Object) ch.readInbound()).isNull();
        ch.writeOutbound(response(HttpResponseStatus.NO_CONTENT));
        ch.runPendingTasks();
        assertThat(((FullHttpRequest) ch.readInbound()).uri()).isEqualTo("/b");
        ch.finishAndReleaseAll();
    }

    @Test
    void aResponseHeadWithoutItsLastPartDoesNotEndTheRequest() {
        EmbeddedChannel ch = new EmbeddedChannel(new PipelineOrder());
        ch.writeInbound(request("/stream"), request("/b"));
        ch.readInbound();
        ch.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        ch.runPendingTasks();
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void removalReleasesWhatWaitsAndResumesReading() {
        EmbeddedChannel ch = new EmbeddedChannel(new PipelineOrder());
        FullHttpRequest waiting = request("/b");
        ch.writeInbound(request("/stream"), waiting);
        ch.readInbound();
        ch.pipeline().remove(PipelineOrder.class); // the connection became an event stream
        assertThat(waiting.refCnt()).isZero();
        assertThat(ch.config().isAutoRead()).isTrue();
        ch.finishAndReleaseAll();
    }
}
