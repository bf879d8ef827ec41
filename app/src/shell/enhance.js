// The few things a plain-HTML page (no wasm, `routes::server_rendered_only`) does in the browser, written once and
// inlined (with the request's CSP nonce) into those pages only. Everything here is an extra: without it the page
// still works (print from the browser's menu, copy the selected code by hand, reload to see a payment).
// - `[data-print]`: opens the print dialog.
// - `[data-copy=<id>]`: copies the text of element <id>; the button then reads its `data-copied`; when the browser
//   refuses, the text is selected and `#<id>-copied` tells the person to copy it by hand (`data-copy-failed`).
// - `form[data-check-file]`: before a document goes up, says at once when no file is chosen, the file passes
//   `data-max-bytes` or is not one of `data-types` (the messages are the form's `data-*-text`); the server
//   decides again from the bytes.
// - a form that posts is sent once: a second click while the answer is on its way does nothing.
// - after a refused post: focus on the first field in error; server_fn's error details leave the address.
// - `[data-slug-from=<id>]` around an address field: it follows the name typed in field <id> until edited.
// - `[data-live-topic=<topic>]`: watches the topic on the live channel (`/ws`, README) and reloads the page when
//   it changes, or after a reconnect (an event may have been missed while the phone slept).
(() => {
  const say = (element, text) => {
    if (element) element.textContent = text || '';
  };

  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (target?.closest('[data-print]')) {
      window.print();
      return;
    }
    const button = target?.closest('[data-copy]');
    if (!button) return;
    const id = button.dataset.copy;
    const field = document.getElementById(id);
    const status = document.getElementById(`${id}-copied`);
    const failed = () => {
      field?.select?.();
      say(status, button.dataset.copyFailed);
    };
    if (!field || !navigator.clipboard) return failed();
    navigator.clipboard.writeText(field.value ?? field.textContent).then(() => {
      say(button, button.dataset.copied);
      say(status, '');
    }, failed);
  });

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.dataset.checkFile !== undefined) {
      const file = form.querySelector('input[type=file]')?.files?.[0];
      const types = (form.dataset.types || '').split(',');
      const problem = !file || file.size === 0
        ? form.dataset.noFileText
        : file.size > Number(form.dataset.maxBytes)
          ? form.dataset.tooLargeText
          : !types.includes(file.type) ? form.dataset.wrongTypeText : null;
      if (problem) {
        event.preventDefault();
        say(form.parentElement?.querySelector('[data-file-error]'), problem);
        return;
      }
    }
    // One click, one post: the button waits for the answer (a page) after the first. GET forms (filters, CSV
    // downloads that leave the page where it is) are left alone.
    if (form.method !== 'post') return;
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = 'true';
    form.querySelectorAll('button[type=submit]').forEach((button) => button.setAttribute('aria-busy', 'true'));
  });
  // Back from another page (the browser's cache): the form can be sent again.
  window.addEventListener('pageshow', () => document.querySelectorAll('form[data-sent]').forEach((form) => {
    delete form.dataset.sent;
  }));

  // After a refused post the page comes back with the error next to its field: focus goes to the first such field
  // (or to the form's error box), where keyboard and screen-reader users need to be. The address then loses
  // server_fn's error details (`__path`, `__err`), so a reload starts clean instead of showing the old error again.
  const invalid = document.querySelector('[aria-invalid="true"]')
    ?? document.querySelector('[data-testid=form-error]:not(:empty)');
  if (invalid) {
    if (!invalid.matches('input, select, textarea')) invalid.setAttribute('tabindex', '-1');
    invalid.focus();
  }
  if (/[?&]__err=/.test(location.search)) {
    const url = new URL(location.href);
    url.searchParams.delete('__err');
    url.searchParams.delete('__path');
    history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
  }

  // The organization's address follows its name until the person edits it (the server suggests the same, in full,
  // for an address left blank: `Slug::suggest`).
  const address = document.querySelector('[data-slug-from] input');
  const named = address && document.getElementById(address.closest('[data-slug-from]').dataset.slugFrom);
  if (named) {
    const suggest = (name) => {
      let slug = name.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '')
        .replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+/, '');
      if (slug.length > 40) {
        const cut = slug.slice(0, 41).lastIndexOf('-');
        slug = slug.slice(0, cut >= 3 ? cut : 40);
      }
      return slug.replace(/-+$/, '');
    };
    let edited = address.value !== '' && address.value !== suggest(named.value);
    named.addEventListener('input', () => {
      if (!edited) address.value = suggest(named.value);
    });
    address.addEventListener('input', () => {
      edited = address.value !== suggest(named.value);
    });
  }

  const watched = document.querySelector('[data-live-topic]');
  if (watched) follow(watched.dataset.liveTopic);

  function follow(topic) {
    let attempt = 0;
    const connect = () => {
      const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
      let heartbeat;
      socket.onopen = () => {
        socket.send(JSON.stringify({ type: 'subscribe', topic }));
        heartbeat = setInterval(() => socket.send(JSON.stringify({ type: 'ping' })), 15000);
        if (attempt > 0) location.reload();
        attempt = 0;
      };
      socket.onmessage = (message) => {
        const data = JSON.parse(message.data);
        if (data.type === 'event' || data.type === 'resync') location.reload();
      };
      socket.onclose = () => {
        clearInterval(heartbeat);
        attempt += 1;
        setTimeout(connect, Math.random() * Math.min(30000, 500 * 2 ** Math.min(attempt, 6)));
      };
    };
    connect();
  }
})();
