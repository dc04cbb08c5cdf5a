import { api, showErrors } from '../api';
import { t } from '../app';
import { field, h } from '../dom';
import type { UserView } from '../wire';

export function renderLogin(main: HTMLElement, signedIn: (user: UserView) => void): void {
  const userName = h('input', { name: 'userName', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'card narrow', novalidate: true },
    h('h1', {}, t('login.title')),
    field(t('login.userName'), userName, 'userName'),
    field(t('login.password'), password, 'password'),
    h('div', { class: 'form-error', role: 'alert' }),
    h('button', { type: 'submit', class: 'primary' }, t('login.submit')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      signedIn(await api<UserView>('POST', '/api/account/login', { userName: userName.value, password: password.value }));
    } catch (error) {
      showErrors(form, error);
    }
  });
  main.append(form);
  userName.focus();
}
