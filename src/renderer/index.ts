/** The renderer's entry: styles, then the application on the API this window was given. */
import './styles/fonts.css';
import './styles/app.css';
import './styles/reader.css';
import { startApp, startFailureText } from './app.js';
import { getApi } from './transport.js';

const root = document.getElementById('app');
if (root) {
  startApp(getApi(), root).catch(async (e: unknown) => {
    root.textContent = await startFailureText(e);
    root.setAttribute('role', 'alert');
  });
}
