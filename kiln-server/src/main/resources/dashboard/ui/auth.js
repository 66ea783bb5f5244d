// The token gate: when the server answers 401, the whole page is covered (nothing it showed stays readable) until
// a token is given. The token is kept for this tab only (sessionStorage).

/** Shows the gate; resolves with the token entered. `refusal` is the server's reason when a token was refused. */
export function askForToken(refusal) {
  const gate = document.getElementById('auth-gate');
  const form = gate.querySelector('form');
  const input = gate.querySelector('input');
  const error = gate.querySelector('.gate-error');
  document.body.classList.add('locked');
  gate.hidden = false;
  error.textContent = refusal || '';
  error.hidden = !refusal;
  input.value = '';
  input.focus();
  return new Promise((resolve) => {
    form.onsubmit = (e) => {
      e.preventDefault();
      const given = input.value.trim();
      if (!given) {
        error.textContent = 'Enter the token the server was started with (runtime.http.auth_token or KILN_AUTH_TOKEN).';
        error.hidden = false;
        return;
      }
      form.onsubmit = null;
      gate.hidden = true;
      document.body.classList.remove('locked');
      document.getElementById('sign-out').hidden = false;
      resolve(given);
    };
  });
}
