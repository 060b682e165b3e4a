import { install_fake_dom } from "./fake_dom.js"
install_fake_dom()
