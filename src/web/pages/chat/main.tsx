import { mount } from '../../lib/mount.js';
import { SignedInPage } from '../../lib/shell.js';
import { ChatPage } from './chat-page.js';

mount(<SignedInPage active="chat">{({ me }) => <ChatPage me={me} />}</SignedInPage>);
