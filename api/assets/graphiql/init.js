// Starts GraphiQL against this server's endpoint. Add your token in the Headers tab:
// {"Authorization": "Bearer <access token or API key>"} (introspection needs one unless
// the server sets RAPPORT_GRAPHQL_INTROSPECTION=public).
(function () {
  var fetcher = GraphiQL.createFetcher({ url: "/graphql" });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      defaultHeaders: '{"Authorization": "Bearer "}',
    })
  );
})();
