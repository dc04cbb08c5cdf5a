import { ApiError, api, showErrors } from '../api';
import { t } from '../app';
import { field, h } from '../dom';
import type { UserView } from '../wire';

export function renderLogin(main: HTMLElement, signedIn: (user: UserView) => void): void {
  const userName = h('input', { name: 'userName', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  // Shown when the server asks for it: the account has two-factor sign-in on.
  const code = h('input', { name: 'code', autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9 ]*', maxlength: 8 });
  const codeField = field(t('login.code'), code, 'code');
  codeField.hidden = true;
  const form = h('form', { class: 'card narrow', novalidate: true },
    h('h1', {}, t('login.title')),
    field(t('login.userName'), userName, 'userName'),
    field(t('login.password'), password, 'password'),
    codeField,
    h('div', { class: 'form-error', role: 'alert' }),
    h('button', { type: 'submit', class: 'primary' }, t('login.submit')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const body = codeField.hidden ? { userName: userName.value, password: password.value } : { userName: userName.value, password: password.value, code: code.value };
      signedIn(await api<UserView>('POST', '/api/account/login', body));
    } catch (error) {
      if (error instanceof ApiError && error.problem.code === 'two_factor_code_required') {
        codeField.hidden = false;
        showErrors(form, new Error(t('login.codeHint')));
        code.focus();
        return;
      }
      showErrors(form, error);
    }
  });
  main.append(form);
  userName.focus();
}
