import './workers.js';
import { useRef } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { useGraphiQL, useGraphiQLActions } from '@graphiql/react';
import { explorerPlugin } from '@graphiql/plugin-explorer';
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';
import './console.css';
import { AuthBar } from './AuthBar.jsx';
import { fetcher } from './fetcher.js';

const explorer = explorerPlugin();

// Lives inside GraphiQL's provider (in its footer, rendering nothing) so the form outside can reach the
// headers editor and the schema re-fetch.
function Bridge({ bridge }) {
  const headerEditor = useGraphiQL((s) => s.headerEditor);
  const { introspect } = useGraphiQLActions();
  bridge.current = {
    applyHeaders(update) {
      if (!headerEditor) return;
      headerEditor.setValue(update(headerEditor.getValue()));
      introspect();
    },
  };
  return null;
}

function Console() {
  const bridge = useRef(null);
  return (
    <div className="peregrine-console">
      <AuthBar bridge={bridge} />
      <div className="peregrine-graphiql">
        <GraphiQL fetcher={fetcher} plugins={[HISTORY_PLUGIN, explorer]} defaultEditorToolsVisibility="headers" shouldPersistHeaders={false}>
          <GraphiQL.Footer><Bridge bridge={bridge} /></GraphiQL.Footer>
        </GraphiQL>
      </div>
    </div>
  );
}

createRoot(document.getElementById('console')).render(<Console />);
