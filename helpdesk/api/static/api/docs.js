// The API reference page: Swagger UI reading our own schema. Nothing is loaded from elsewhere
// (no validator badge: validatorUrl null), and "Try it out" uses the browser's session.
window.addEventListener("DOMContentLoaded", function () {
  var node = document.getElementById("swagger-ui");
  if (!node || typeof window.SwaggerUIBundle !== "function") return;
  var csrf = (document.cookie.match(/(?:^|;\s*)(?:__Host-)?csrftoken=([^;]+)/) || [])[1];
  window.SwaggerUIBundle({
    url: node.dataset.schemaUrl,
    domNode: node,
    deepLinking: true,
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    requestInterceptor: function (request) {
      if (csrf) request.headers["X-CSRFToken"] = decodeURIComponent(csrf);
      return request;
    },
  });
});
