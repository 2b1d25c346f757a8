// GraphiQL against this server's /graphql, sending the token the app's sign-in stored (sessionStorage).
(function () {
  const token = sessionStorage.getItem("graph-itsm-token");
  const headers = token ? { Authorization: "Bearer " + token } : {};
  const fetcher = GraphiQL.createFetcher({ url: new URL("/graphql", location.origin).href, headers });
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true,
    shouldPersistHeaders: false }));
})();
