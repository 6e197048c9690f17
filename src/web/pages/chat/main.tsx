import { mount } from '../../lib/mount.js';
import { SignedInPage } from '../../lib/shell.js';

// Placeholder until the chat page lands.
mount(<SignedInPage active="chat">{() => <h1>Chat</h1>}</SignedInPage>);
