// Mounts GraphiQL for Steward. Kept out of index.html so the page works under a
// strict Content-Security-Policy (script-src 'self'; no inline scripts/styles).
// Expects the vendored UMD globals React, ReactDOM and GraphiQL to be loaded first.
(function () {
  'use strict';

  var root = document.getElementById('graphiql');

  // Full-height layout, applied via CSSOM (allowed under a strict style-src).
  [document.documentElement, document.body, root].forEach(function (el) {
    el.style.height = '100%';
    el.style.margin = '0';
  });
  document.body.style.overflow = 'hidden';

  if (typeof React === 'undefined' || typeof ReactDOM === 'undefined' || typeof GraphiQL === 'undefined') {
    root.textContent = 'Failed to load GraphiQL assets from /graphql/assets/.';
    return;
  }

  var defaultQuery = [
    '# Welcome to Steward GraphiQL.',
    '#',
    '# Most operations require authentication. To log in:',
    '#',
    '#   1. Run a Login mutation (uncomment it and fill in your credentials):',
    '#',
    '#      mutation Login {',
    '#        login(input: {tenant: "demo", email: "you@example.com", password: "your-password"}) {',
    '#          accessToken',
    '#        }',
    '#      }',
    '#',
    '#   2. Copy the returned accessToken and put it in the "Headers" tab below:',
    '#',
    '#      {"Authorization": "Bearer <accessToken>"}',
    '#',
    '# Headers are kept in this browser\'s localStorage between visits.',
    '',
    ''
  ].join('\n');

  var fetcher = GraphiQL.createFetcher({ url: '/graphql' });

  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      defaultHeaders: JSON.stringify({ Authorization: 'Bearer ' }, null, 2),
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      defaultEditorToolsVisibility: 'headers'
    })
  );
})();
