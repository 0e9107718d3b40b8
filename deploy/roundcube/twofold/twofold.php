<?php

require_once __DIR__ . '/twofold_client.php';

/**
 * Twofold two-factor authentication for Roundcube.
 *
 * - Sign-in: after Roundcube's password login, an account with two-factor authentication on is held
 *   on a code page until a TOTP or recovery code (or a trusted-device cookie) verifies; every other
 *   request of that session is turned to the code page. When Twofold cannot be asked, the session
 *   stays held: the second factor is never skipped.
 * - Settings > Two-factor authentication and Settings > Application passcodes: the seeds' flows
 *   ("Begin setup", "Add Application Code") against Twofold's API.
 *
 * Roundcube is the identity provider: it signs the bearer JWT for the signed-in user, with
 * auth_time = the last time the user typed the password here (sign-in or re-entry on a settings page).
 */
class twofold extends rcube_plugin
{
    /** The actions a held session may still reach. */
    private const HELD_ACTIONS = ['plugin.twofold-code', 'plugin.twofold-code-verify'];
    /** Sections with their actions; the settings list shows them in this order. */
    private const SECTIONS = ['plugin.twofold' => 'twofactor', 'plugin.twofold-passcodes' => 'passcodes'];
    private const PROTOCOLS = ['imap', 'pop3', 'smtp', 'sieve', 'caldav', 'carddav', 'activesync', 'xmpp'];

    private $rc;
    /** HTML the settings page body shows (set by the action, printed by the template's plugin.body). */
    private $body = '';

    public function init()
    {
        $this->rc = rcmail::get_instance();
        // config.inc.php next to this file, if the administrator made one (else Roundcube's own config).
        $this->load_config();
        $this->add_texts('localization/', false);

        $this->add_hook('login_after', [$this, 'login_after']);
        $this->add_hook('startup', [$this, 'startup']);
        $this->add_hook('settings_actions', [$this, 'settings_actions']);

        $this->register_action('plugin.twofold-code', [$this, 'code_page']);
        $this->register_action('plugin.twofold-code-verify', [$this, 'code_verify']);
        $this->register_action('plugin.twofold', [$this, 'twofactor_page']);
        $this->register_action('plugin.twofold-passcodes', [$this, 'passcodes_page']);
    }

    // ----- Sign-in -----------------------------------------------------------------------------

    /** Roundcube's password login succeeded: decide whether this session must show a second factor. */
    public function login_after($args)
    {
        $_SESSION['twofold_auth_time'] = time();
        $_SESSION['twofold_held'] = true;
        if ($this->release_if_not_needed()) {
            return $args;
        }
        return ['_task' => 'login', '_action' => 'plugin.twofold-code'];
    }

    /**
     * Releases the session when Twofold says two-factor authentication is off, or accepts this
     * browser's trusted-device cookie. Anything else (2FA on, Twofold unreachable) keeps it held.
     */
    private function release_if_not_needed()
    {
        $status = $this->api('GET', '/two-factor');
        if ($status['status'] !== 200) {
            $_SESSION['twofold_unavailable'] = true;
            return false;
        }
        unset($_SESSION['twofold_unavailable']);
        if (empty($status['body']['enabled'])) {
            unset($_SESSION['twofold_held']);
            return true;
        }
        $cookie = $this->device_cookie_name();
        if (!empty($_COOKIE[$cookie])) {
            $device = $this->api('POST', '/trusted-devices/verify', ['deviceToken' => (string) $_COOKIE[$cookie]]);
            if ($device['status'] === 200) {
                unset($_SESSION['twofold_held']);
                return true;
            }
            if (in_array($device['status'], [401, 403, 404, 422], true)) {
                $this->set_device_cookie('', time() - 3600);
            }
        }
        return false;
    }

    /** Every request of a held session goes to the code page (sign-out stays possible). */
    public function startup($args)
    {
        if (empty($_SESSION['user_id']) || empty($_SESSION['twofold_held'])) {
            return $args;
        }
        if ($args['task'] === 'logout') {
            return $args;
        }
        $action = in_array($args['action'], self::HELD_ACTIONS, true) ? $args['action'] : 'plugin.twofold-code';
        if ($this->rc->output->ajax_call) {
            // Keep-alives and list refreshes of a held session get no data, only the way to the code page.
            $this->rc->output->command('redirect', $this->rc->url(['_task' => 'login', '_action' => 'plugin.twofold-code']));
            $this->rc->output->send();
        }
        return ['task' => 'login', 'action' => $action];
    }

    public function code_page()
    {
        $this->require_held_session();
        if (!empty($_SESSION['twofold_unavailable']) && $this->release_if_not_needed()) {
            $this->rc->output->redirect(['_task' => 'mail']);
        }
        $this->render_code_page(!empty($_SESSION['twofold_unavailable']) ? $this->gettext('unavailable') : null);
    }

    public function code_verify()
    {
        $this->require_held_session();
        $code = trim((string) rcube_utils::get_input_string('_code', rcube_utils::INPUT_POST));
        $trust = !empty(rcube_utils::get_input_string('_trust', rcube_utils::INPUT_POST));
        if ($code === '') {
            $this->render_code_page($this->gettext('codemissing'));
            return;
        }
        $body = ['code' => $code, 'trustDevice' => $trust];
        if ($trust) {
            $body['deviceName'] = $this->device_name();
        }
        $result = $this->api('POST', '/two-factor/verify', $body);
        switch ($result['status']) {
            case 200:
                unset($_SESSION['twofold_held'], $_SESSION['twofold_unavailable']);
                if (!empty($result['body']['deviceToken'])) {
                    $until = strtotime((string) ($result['body']['trustedUntil'] ?? '')) ?: time() + 30 * 86400;
                    $this->set_device_cookie($result['body']['deviceToken'], $until);
                }
                $this->rc->session->regenerate_id(false);
                $this->rc->session->set_auth_cookie();
                if (($result['body']['method'] ?? '') === 'recovery-code') {
                    $this->render_recovery_used((int) $result['body']['recoveryCodesRemaining']);
                    return;
                }
                $this->rc->output->redirect(['_task' => 'mail']);
                return;
            case 422:
                $this->render_code_page($this->gettext('codewrong'));
                return;
            case 429:
                $this->render_code_page($this->gettext(['name' => 'lockedout',
                    'vars' => ['seconds' => (int) ($result['retry_after'] ?: 60)]]));
                return;
            case 400:
                $this->render_code_page($this->gettext('codewrong'));
                return;
            default:
                $this->render_code_page($this->gettext('unavailable'));
        }
    }

    private function require_held_session()
    {
        if (empty($_SESSION['user_id']) || !$this->rc->session->check_auth()) {
            $this->rc->kill_session();
            $this->rc->output->redirect(['_task' => 'login'], 0);
        }
        if (empty($_SESSION['twofold_held'])) {
            $this->rc->output->redirect(['_task' => 'mail'], 0);
        }
    }

    private function render_code_page($error)
    {
        $this->rc->output->set_pagetitle($this->gettext('signintitle'));
        $code = new html_inputfield(['name' => '_code', 'id' => 'twofold-code', 'size' => 20,
            'autocomplete' => 'one-time-code', 'inputmode' => 'text', 'autofocus' => 'autofocus',
            'class' => 'form-control', 'spellcheck' => 'false', 'autocapitalize' => 'off']);
        $trust = new html_checkbox(['name' => '_trust', 'id' => 'twofold-trust', 'value' => '1',
            'class' => 'form-check-input']);
        $content = html::p(['class' => 'twofold-intro'], rcube::Q($this->gettext('signinintro')))
            . ($error ? html::div(['id' => 'twofold-message', 'class' => 'alert alert-danger boxerror', 'role' => 'alert'],
                rcube::Q($error)) : '')
            . html::div('form-group', html::label(['for' => 'twofold-code'], rcube::Q($this->gettext('codelabel')))
                . $code->show())
            . html::div('form-group form-check', $trust->show() . ' '
                . html::label(['for' => 'twofold-trust', 'class' => 'form-check-label'], rcube::Q($this->gettext('trustdevice'))))
            . html::p('formbuttons', html::tag('button', ['type' => 'submit', 'id' => 'twofold-verify',
                'class' => 'button mainaction submit btn btn-primary'], rcube::Q($this->gettext('verify'))))
            . html::p(['class' => 'twofold-hint'], rcube::Q($this->gettext('recoveryhint')))
            . html::p(['class' => 'twofold-signout'], html::a(['href' => $this->rc->url(['_task' => 'logout',
                '_token' => $this->rc->get_request_token()]), 'id' => 'twofold-signout'], rcube::Q($this->gettext('signout'))));
        $this->body = $this->rc->output->request_form(['method' => 'post', 'id' => 'twofold-code-form',
            'task' => 'login', 'action' => 'plugin.twofold-code-verify'], $content);
        $this->send_template('code');
    }

    private function render_recovery_used($remaining)
    {
        $this->rc->output->set_pagetitle($this->gettext('signintitle'));
        $this->body = html::div(['id' => 'twofold-message', 'class' => 'alert alert-warning boxwarning'],
                rcube::Q($this->gettext(['name' => 'recoveryleft', 'vars' => ['n' => $remaining]])))
            . html::p(null, rcube::Q($this->gettext('recoveryadvice')))
            . html::p('formbuttons', html::a(['href' => $this->rc->url(['_task' => 'mail']), 'id' => 'twofold-continue',
                'class' => 'button mainaction btn btn-primary'], rcube::Q($this->gettext('continue'))));
        $this->send_template('code');
    }

    // ----- Settings ----------------------------------------------------------------------------

    public function settings_actions($args)
    {
        foreach (self::SECTIONS as $action => $label) {
            $args['actions'][] = ['action' => $action, 'class' => 'twofold-' . $label, 'label' => $label,
                'title' => $label . 'title', 'domain' => 'twofold'];
        }
        return $args;
    }

    /** Settings > Two-factor authentication. Each POST names one step in _op. */
    public function twofactor_page()
    {
        $op = rcube_utils::get_input_string('_op', rcube_utils::INPUT_POST);
        $notice = null;
        if ($op && !$this->step_up_for($op, 'plugin.twofold')) {
            return;
        }
        switch ($op) {
            case 'begin':
                $started = $this->api('POST', '/two-factor/enrollment');
                if ($started['status'] === 201) {
                    $_SESSION['twofold_enrollment'] = $started['body'];
                    $this->show_enrollment(null);
                    return;
                }
                $notice = $this->error_text($started);
                break;
            case 'confirm':
                if (empty($_SESSION['twofold_enrollment'])) {
                    break;
                }
                $code = trim((string) rcube_utils::get_input_string('_code', rcube_utils::INPUT_POST));
                $confirmed = $this->api('POST', '/two-factor/enrollment/confirm', ['code' => $code]);
                if ($confirmed['status'] === 200) {
                    unset($_SESSION['twofold_enrollment']);
                    $this->show_codes($this->gettext('enabled'), $confirmed['body']['recoveryCodes']);
                    return;
                }
                $this->show_enrollment($confirmed['status'] === 422 || $confirmed['status'] === 400
                    ? $this->gettext('codewrong') : $this->error_text($confirmed));
                return;
            case 'regenerate':
                $issued = $this->api('POST', '/two-factor/recovery-codes');
                if ($issued['status'] === 201) {
                    $this->show_codes($this->gettext('newcodes'), $issued['body']['codes']);
                    return;
                }
                $notice = $this->error_text($issued);
                break;
            case 'disable':
                $off = $this->api('DELETE', '/two-factor');
                $notice = $off['status'] === 204 ? $this->gettext('disabled') : $this->error_text($off);
                break;
            case 'forget-device':
                $id = rcube_utils::get_input_string('_id', rcube_utils::INPUT_POST);
                $forgot = $this->api('DELETE', '/trusted-devices/' . rawurlencode($id));
                $notice = $forgot['status'] === 204 ? $this->gettext('deviceforgotten') : $this->error_text($forgot);
                break;
        }
        $this->show_twofactor($notice);
    }

    private function show_twofactor($notice)
    {
        $status = $this->api('GET', '/two-factor');
        if ($status['status'] !== 200) {
            $this->send_settings('twofactortitle', $this->alert($this->error_text($status), 'danger'));
            return;
        }
        $s = $status['body'];
        $html = $notice ? $this->alert($notice, 'info') : '';
        if (empty($s['enabled'])) {
            $html .= html::p(['id' => 'twofold-state'], rcube::Q($this->gettext('offintro')))
                . html::p(null, rcube::Q($this->gettext('beforeyoubegin')))
                . $this->button_form('plugin.twofold', 'begin', $this->gettext('beginsetup'), 'mainaction');
        } else {
            $html .= html::p(['id' => 'twofold-state'], rcube::Q($this->gettext(['name' => 'onsince',
                    'vars' => ['date' => $this->date($s['enabledAt'] ?? null)]])))
                . html::p(['id' => 'twofold-recovery-status'], rcube::Q($this->gettext(['name' => 'recoverystatus',
                    'vars' => ['n' => $s['recoveryCodes']['remaining'], 'total' => $s['recoveryCodes']['issued']]])))
                . html::div('formbuttons',
                    $this->button_form('plugin.twofold', 'regenerate', $this->gettext('regenerate'))
                    . $this->button_form('plugin.twofold', 'disable', $this->gettext('turnoff'), 'delete',
                        $this->gettext('turnoffconfirm')));
        }
        $html .= html::tag('h3', null, rcube::Q($this->gettext('trusteddevices'))) . $this->devices_table();
        $html .= html::tag('h3', null, rcube::Q($this->gettext('recentevents'))) . $this->events_table();
        $this->send_settings('twofactortitle', $html);
    }

    private function show_enrollment($error)
    {
        $e = $_SESSION['twofold_enrollment'];
        $code = new html_inputfield(['name' => '_code', 'id' => 'twofold-code', 'size' => 10,
            'autocomplete' => 'one-time-code', 'class' => 'form-control']);
        $html = ($error ? $this->alert($error, 'danger') : '')
            . html::p(null, rcube::Q($this->gettext('scanintro')))
            // Twofold renders the QR code itself (SVG from the otpauth URI): no third-party image service.
            . html::div(['id' => 'twofold-qr', 'class' => 'twofold-qr'],
                html::img(['src' => 'data:image/svg+xml;base64,' . base64_encode($e['qrCodeSvg']),
                    'alt' => $this->gettext('qralt'), 'width' => 200, 'height' => 200]))
            . html::p(null, rcube::Q($this->gettext('manualintro')))
            . html::p(null, html::tag('code', ['id' => 'twofold-manual-key', 'class' => 'twofold-secret'],
                rcube::Q($e['manualEntryKey'])))
            . html::p(['class' => 'hint'], rcube::Q($this->gettext(['name' => 'manualdetails', 'vars' => [
                'account' => $_SESSION['username'], 'digits' => $e['digits'], 'period' => $e['period'],
                'algorithm' => $e['algorithm']]])))
            . $this->rc->output->request_form(['method' => 'post', 'task' => 'settings', 'action' => 'plugin.twofold',
                'id' => 'twofold-confirm-form'],
                self::hidden('_op', 'confirm')
                . html::div('form-group', html::label(['for' => 'twofold-code'], rcube::Q($this->gettext('confirmlabel')))
                    . $code->show())
                . html::tag('button', ['type' => 'submit', 'id' => 'twofold-confirm',
                    'class' => 'button mainaction btn btn-primary'], rcube::Q($this->gettext('confirm'))));
        $this->send_settings('twofactortitle', $html);
    }

    /** Recovery codes, shown once: to print or download now. */
    private function show_codes($headline, array $codes)
    {
        $list = '';
        foreach ($codes as $code) {
            $list .= html::tag('li', null, html::tag('code', null, rcube::Q($code)));
        }
        $file = $this->gettext('codesfileheader') . "\n" . $_SESSION['username'] . "\n\n" . implode("\n", $codes) . "\n";
        $html = $this->alert($headline, 'success')
            . html::p(null, rcube::Q($this->gettext('codesintro')))
            . html::tag('ol', ['id' => 'twofold-recovery-codes', 'class' => 'twofold-codes'], $list)
            . html::div('formbuttons',
                html::a(['href' => 'data:text/plain;charset=utf-8;base64,' . base64_encode($file),
                    'download' => 'recovery-codes.txt', 'class' => 'button btn btn-secondary'],
                    rcube::Q($this->gettext('download')))
                . html::a(['href' => '#', 'onclick' => 'window.print(); return false;', 'class' => 'button btn btn-secondary'],
                    rcube::Q($this->gettext('print')))
                . html::a(['href' => $this->rc->url(['_task' => 'settings', '_action' => 'plugin.twofold']),
                    'id' => 'twofold-done', 'class' => 'button mainaction btn btn-primary'], rcube::Q($this->gettext('done'))));
        $this->send_settings('twofactortitle', $html);
    }

    private function devices_table()
    {
        $devices = $this->api('GET', '/trusted-devices');
        if ($devices['status'] !== 200) {
            return $this->alert($this->error_text($devices), 'danger');
        }
        if (empty($devices['body']['items'])) {
            return html::p(['id' => 'twofold-devices-none'], rcube::Q($this->gettext('nodevices')));
        }
        $table = new html_table(['cols' => 5, 'class' => 'records-table twofold-table', 'id' => 'twofold-devices']);
        foreach (['device', 'added', 'lastused', 'expires', ''] as $head) {
            $table->add_header(null, $head ? rcube::Q($this->gettext($head)) : '');
        }
        foreach ($devices['body']['items'] as $d) {
            $table->add(null, rcube::Q($d['name'] ?? $this->gettext('unnamed')));
            $table->add(null, rcube::Q($this->date($d['createdAt']) . (isset($d['createdIp']) ? ' (' . $d['createdIp'] . ')' : '')));
            $table->add(null, rcube::Q($this->date($d['lastUsedAt'] ?? null)));
            $table->add(null, rcube::Q($this->date($d['expiresAt'])));
            $table->add(null, $this->button_form('plugin.twofold', 'forget-device', $this->gettext('forget'), 'delete',
                null, ['_id' => $d['id']]));
        }
        return $table->show();
    }

    private function events_table()
    {
        $events = $this->api('GET', '/security-events?limit=10');
        if ($events['status'] !== 200) {
            return $this->alert($this->error_text($events), 'danger');
        }
        if (empty($events['body']['items'])) {
            return html::p(null, rcube::Q($this->gettext('noevents')));
        }
        $table = new html_table(['cols' => 4, 'class' => 'records-table twofold-table', 'id' => 'twofold-events']);
        foreach (['when', 'event', 'from', 'details'] as $head) {
            $table->add_header(null, rcube::Q($this->gettext($head)));
        }
        foreach ($events['body']['items'] as $e) {
            $label = 'event.' . $e['type'];
            $text = $this->gettext($label);
            $table->add(null, rcube::Q($this->date($e['occurredAt'])));
            $table->add(null, rcube::Q($text === "[$label]" ? $e['type'] : $text));
            $table->add(null, rcube::Q(trim(($e['ip'] ?? '') . ' ' . ($e['protocol'] ?? ''))));
            $details = [];
            foreach ((array) ($e['detail'] ?? []) as $k => $v) {
                if (!preg_match('/Id$/', $k)) {
                    $details[] = is_scalar($v) ? (string) $v : json_encode($v);
                }
            }
            $table->add(null, rcube::Q(implode(', ', $details)));
        }
        return $table->show();
    }

    /** Settings > Application passcodes. */
    public function passcodes_page()
    {
        $op = rcube_utils::get_input_string('_op', rcube_utils::INPUT_POST);
        $notice = null;
        if ($op && !$this->step_up_for($op, 'plugin.twofold-passcodes')) {
            return;
        }
        switch ($op) {
            case 'create':
                $name = trim((string) rcube_utils::get_input_string('_name', rcube_utils::INPUT_POST));
                $protocols = array_values(array_intersect(self::PROTOCOLS,
                    (array) rcube_utils::get_input_value('_protocols', rcube_utils::INPUT_POST)));
                $body = ['name' => $name === '' ? $this->gettext('unnamed') : $name];
                if ($protocols) {
                    $body['protocols'] = $protocols;
                }
                $created = $this->api('POST', '/app-passcodes', $body);
                if ($created['status'] === 201) {
                    $this->show_new_passcode($created['body']);
                    return;
                }
                $notice = $this->error_text($created);
                break;
            case 'revoke':
                $id = rcube_utils::get_input_string('_id', rcube_utils::INPUT_POST);
                $revoked = $this->api('DELETE', '/app-passcodes/' . rawurlencode($id));
                $notice = $revoked['status'] === 204 ? $this->gettext('passcoderevoked') : $this->error_text($revoked);
                break;
            case 'revoke-all':
                $revoked = $this->api('DELETE', '/app-passcodes');
                $notice = $revoked['status'] === 204 ? $this->gettext('passcodesrevoked') : $this->error_text($revoked);
                break;
        }
        $this->show_passcodes($notice);
    }

    private function show_passcodes($notice)
    {
        $list = $this->api('GET', '/app-passcodes');
        if ($list['status'] !== 200) {
            $this->send_settings('passcodestitle', $this->alert($this->error_text($list), 'danger'));
            return;
        }
        $html = ($notice ? $this->alert($notice, 'info') : '') . html::p(null, rcube::Q($this->gettext('passcodesintro')));
        $name = new html_inputfield(['name' => '_name', 'id' => 'twofold-passcode-name', 'size' => 30, 'maxlength' => 100,
            'class' => 'form-control', 'placeholder' => $this->gettext('passcodenameexample')]);
        $boxes = '';
        foreach (self::PROTOCOLS as $protocol) {
            $box = new html_checkbox(['name' => '_protocols[]', 'value' => $protocol, 'id' => 'twofold-protocol-' . $protocol]);
            $boxes .= html::label(['class' => 'twofold-protocol', 'for' => 'twofold-protocol-' . $protocol],
                $box->show() . ' ' . rcube::Q(strtoupper($protocol)));
        }
        $html .= html::tag('h3', null, rcube::Q($this->gettext('addpasscode')))
            . $this->rc->output->request_form(['method' => 'post', 'task' => 'settings',
                'action' => 'plugin.twofold-passcodes', 'id' => 'twofold-passcode-form'],
                self::hidden('_op', 'create')
                . html::div('form-group', html::label(['for' => 'twofold-passcode-name'],
                    rcube::Q($this->gettext('passcodename'))) . $name->show())
                . html::div('form-group', html::span('label', rcube::Q($this->gettext('protocols'))) . ' ' . $boxes
                    . html::p('hint', rcube::Q($this->gettext('protocolshint'))))
                . html::tag('button', ['type' => 'submit', 'id' => 'twofold-passcode-create',
                    'class' => 'button mainaction btn btn-primary'], rcube::Q($this->gettext('createpasscode'))));
        $html .= html::tag('h3', null, rcube::Q($this->gettext('yourpasscodes')));
        if (empty($list['body']['items'])) {
            $html .= html::p(['id' => 'twofold-passcodes-none'], rcube::Q($this->gettext('nopasscodes')));
        } else {
            $table = new html_table(['cols' => 6, 'class' => 'records-table twofold-table', 'id' => 'twofold-passcodes']);
            foreach (['passcodename', 'created', 'lastused', 'lastip', 'protocols', ''] as $head) {
                $table->add_header(null, $head ? rcube::Q($this->gettext($head)) : '');
            }
            foreach ($list['body']['items'] as $p) {
                // html_table opens the next row after a row's last cell: add_row() here would add an empty one.
                $table->set_row_attribs(['data-passcode-id' => $p['id']]);
                $table->add('name', rcube::Q($p['name']));
                $table->add(null, rcube::Q($this->date($p['createdAt'])));
                $table->add('lastused', rcube::Q($this->date($p['lastUsedAt'] ?? null)));
                $table->add(null, rcube::Q(trim(($p['lastUsedIp'] ?? '') . ' ' . strtoupper($p['lastUsedProtocol'] ?? ''))));
                $table->add(null, rcube::Q(empty($p['protocols']) ? $this->gettext('allprotocols')
                    : strtoupper(implode(', ', $p['protocols']))));
                $table->add(null, $this->button_form('plugin.twofold-passcodes', 'revoke', $this->gettext('revoke'),
                    'delete twofold-revoke', $this->gettext(['name' => 'revokeconfirm', 'vars' => ['name' => $p['name']]]),
                    ['_id' => $p['id']]));
            }
            $html .= $table->show() . $this->button_form('plugin.twofold-passcodes', 'revoke-all',
                $this->gettext('revokeall'), 'delete', $this->gettext('revokeallconfirm'));
        }
        $this->send_settings('passcodestitle', $html);
    }

    /** A new passcode, shown once, in groups of four as Twofold formats it, with what a mail app needs. */
    private function show_new_passcode(array $issued)
    {
        $servers = '';
        foreach ((array) $this->rc->config->get('twofold_mail_servers', []) as $label => $value) {
            $servers .= html::tag('dt', null, rcube::Q($label)) . html::tag('dd', null, rcube::Q($value));
        }
        $html = $this->alert($this->gettext(['name' => 'passcodecreated', 'vars' => ['name' => $issued['name']]]), 'success')
            . html::p(null, rcube::Q($this->gettext('passcodeonce')))
            . html::p(['class' => 'twofold-passcode'], html::tag('code', ['id' => 'twofold-new-passcode',
                'class' => 'twofold-secret'], rcube::Q($issued['passcode'])))
            . html::tag('h3', null, rcube::Q($this->gettext('serversettings')))
            . html::tag('dl', ['class' => 'twofold-servers', 'id' => 'twofold-server-settings'],
                html::tag('dt', null, rcube::Q($this->gettext('username'))) . html::tag('dd', null, rcube::Q($_SESSION['username']))
                . html::tag('dt', null, rcube::Q($this->gettext('password'))) . html::tag('dd', null, rcube::Q($this->gettext('thepasscode')))
                . $servers)
            . html::p('formbuttons', html::a(['href' => $this->rc->url(['_task' => 'settings', '_action' => 'plugin.twofold-passcodes']),
                'id' => 'twofold-done', 'class' => 'button mainaction btn btn-primary'], rcube::Q($this->gettext('done'))));
        $this->send_settings('passcodestitle', $html);
    }

    /**
     * Steps that need a fresh sign-in (Twofold's step-up) first ask for the password again. Returns
     * whether $op may run now; otherwise the password page was sent. A password re-entry posts
     * _op=password with the wanted step in _next.
     */
    private function step_up_for(&$op, $action)
    {
        if ($op === 'password') {
            $password = rcube_utils::get_input_string('_password', rcube_utils::INPUT_POST, true);
            $next = rcube_utils::get_input_string('_next', rcube_utils::INPUT_POST);
            if (!$this->password_matches($password)) {
                $this->show_password_page($action, $next, $this->gettext('passwordwrong'));
                return false;
            }
            $_SESSION['twofold_auth_time'] = time();
            $op = $next;
            return true;
        }
        $needs = in_array($op, ['begin', 'regenerate', 'disable', 'create', 'revoke-all'], true);
        $max_age = (int) $this->rc->config->get('twofold_step_up_max_age', 540);
        // "begin" always asks: the seeds' flow, and a fresh auth_time for the enrollment that follows.
        if ($needs && ($op === 'begin' || time() - (int) $_SESSION['twofold_auth_time'] > $max_age)) {
            $this->show_password_page($action, $op, null);
            return false;
        }
        return true;
    }

    private function show_password_page($action, $next, $error)
    {
        $password = new html_passwordfield(['name' => '_password', 'id' => 'twofold-password', 'size' => 30,
            'autocomplete' => 'current-password', 'class' => 'form-control']);
        $html = ($error ? $this->alert($error, 'danger') : '')
            . html::p(null, rcube::Q($this->gettext('passwordintro')))
            . $this->rc->output->request_form(['method' => 'post', 'task' => 'settings', 'action' => $action,
                'id' => 'twofold-password-form'],
                self::hidden('_op', 'password')
                . self::hidden('_next', $next)
                . html::div('form-group', html::label(['for' => 'twofold-password'], rcube::Q($this->gettext('password')))
                    . $password->show())
                . html::tag('button', ['type' => 'submit', 'id' => 'twofold-password-next',
                    'class' => 'button mainaction btn btn-primary'], rcube::Q($this->gettext('next'))));
        $this->send_settings($action === 'plugin.twofold' ? 'twofactortitle' : 'passcodestitle', $html);
    }

    /** The password this session signed in with (Roundcube keeps it encrypted in the session for IMAP). */
    private function password_matches($typed)
    {
        $known = isset($_SESSION['password']) ? $this->rc->decrypt($_SESSION['password']) : null;
        return is_string($typed) && $typed !== '' && is_string($known) && hash_equals($known, $typed);
    }

    // ----- Helpers -----------------------------------------------------------------------------

    private function api($method, $path, $body = null)
    {
        try {
            $client = new twofold_client((array) $this->rc->config->all(), $_SERVER['HTTP_USER_AGENT'] ?? '',
                rcube_utils::remote_addr());
        } catch (RuntimeException $e) {
            rcube::raise_error(['code' => 500, 'message' => $e->getMessage()], true, false);
            return ['status' => 0, 'body' => null, 'retry_after' => null];
        }
        return $client->call($method, $path, $_SESSION['username'], (int) ($_SESSION['twofold_auth_time'] ?? 0), $body);
    }

    private function error_text(array $result)
    {
        switch ($result['status']) {
            case 0:
            case 500:
            case 502:
            case 503:
            case 504:
                return $this->gettext('unavailable');
            case 429:
                return $this->gettext(['name' => 'lockedout', 'vars' => ['seconds' => (int) ($result['retry_after'] ?: 60)]]);
            case 403:
                if (($result['body']['type'] ?? '') === 'https://twofold.dev/problems/reauthentication-required') {
                    $_SESSION['twofold_auth_time'] = 0;
                    return $this->gettext('reauth');
                }
        }
        $detail = $result['body']['detail'] ?? $result['body']['title'] ?? ('HTTP ' . $result['status']);
        return $this->gettext(['name' => 'failed', 'vars' => ['detail' => $detail]]);
    }

    private function button_form($action, $op, $label, $class = '', $confirm = null, array $fields = [])
    {
        $hidden = self::hidden('_op', $op);
        foreach ($fields as $name => $value) {
            $hidden .= self::hidden($name, $value);
        }
        $attrib = ['method' => 'post', 'task' => 'settings', 'action' => $action, 'class' => 'twofold-inline'];
        if ($confirm) {
            $attrib['onsubmit'] = 'return confirm(' . rcube_output::json_serialize($confirm) . ')';
        }
        return $this->rc->output->request_form($attrib, $hidden . html::tag('button', ['type' => 'submit',
            'class' => trim('button btn btn-secondary twofold-' . $op . ' ' . $class), 'data-op' => $op], rcube::Q($label)));
    }

    private static function hidden($name, $value)
    {
        $field = new html_hiddenfield(['name' => $name, 'value' => $value]);
        return $field->show();
    }

    private function alert($text, $kind)
    {
        return html::div(['id' => 'twofold-message', 'class' => 'alert alert-' . $kind, 'role' => 'alert'], rcube::Q($text));
    }

    private function date($iso)
    {
        if (!$iso) {
            return $this->gettext('never');
        }
        return $this->rc->format_date($iso);
    }

    private function device_cookie_name()
    {
        return (string) $this->rc->config->get('twofold_device_cookie', 'twofold_device');
    }

    /** The device token: Secure and HttpOnly (scripts never read it), only sent back to this webmail. */
    private function set_device_cookie($token, $expires)
    {
        $params = session_get_cookie_params();
        setcookie($this->device_cookie_name(), $token, [
            'expires'  => $expires,
            'path'     => $params['path'] ?: '/',
            'domain'   => $params['domain'],
            'secure'   => (bool) $this->rc->config->get('twofold_device_cookie_secure', true),
            'httponly' => true,
            'samesite' => 'Strict',
        ]);
    }

    /** A short name for this browser in the trusted-device list, e.g. "Firefox on Linux". */
    private function device_name()
    {
        $ua = $_SERVER['HTTP_USER_AGENT'] ?? '';
        $browser = preg_match('/(Firefox|Edg|Chrome|Safari)\//', $ua, $m) ? ($m[1] === 'Edg' ? 'Edge' : $m[1]) : 'Browser';
        $system = preg_match('/(Windows|Android|iPhone|iPad|Mac OS X|Linux)/', $ua, $m) ? str_replace('Mac OS X', 'macOS', $m[1]) : '';
        return $system ? "$browser on $system" : $browser;
    }

    private function send_settings($title, $html)
    {
        $this->rc->output->set_pagetitle($this->gettext($title));
        $this->rc->output->set_env('twofold_title', $this->gettext($title));
        $this->body = html::tag('h2', ['class' => 'twofold-title'], rcube::Q($this->gettext($title))) . $html;
        $this->send_template('settings');
    }

    private function send_template($name)
    {
        $this->include_stylesheet($this->local_skin_path() . '/twofold.css');
        $this->register_handler('plugin.body', function () {
            return $this->body;
        });
        $this->rc->output->send('twofold.' . $name);
    }
}
